import java.io.File;
import java.util.*;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.*;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.*;
import org.verapdf.pdfa.validation.profiles.*;

/** Minimal veraPDF CLI: VeraValidate <flavour e.g. 3u|ua1> <file.pdf>. Exit 0=PASS, 1=FAIL, 2=error. */
public class VeraValidate {
    public static void main(String[] a) {
        if (a.length != 2) { System.err.println("usage: VeraValidate <flavour: 3u|ua1|2b|...> <file.pdf>"); System.exit(2); }
        PDFAFlavour fl = PDFAFlavour.fromString(a[0]);
        if (fl == PDFAFlavour.NO_FLAVOUR) { System.err.println("ERROR unknown flavour " + a[0]); System.exit(2); }
        VeraGreenfieldFoundryProvider.initialise();
        try (VeraPDFFoundry f = Foundries.defaultInstance();
             PDFAParser p = f.createParser(new File(a[1]), fl);
             PDFAValidator v = f.createValidator(loadProfile(fl), false)) {
            ValidationResult r = v.validate(p);
            Map<RuleId, Integer> failed = new TreeMap<>(Comparator.comparing(VeraValidate::id));
            failed.putAll(r.getFailedChecks());
            int checks = failed.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%s %s %s (veraPDF %s profile '%s'; %d failed rules, %d failed checks)%n",
                r.isCompliant() ? "PASS" : "FAIL", fl.getId(), a[1], libVersion(),
                r.getProfileDetails().getName(), failed.size(), checks);
            ValidationProfile prof = r.getValidationProfile();
            for (Map.Entry<RuleId, Integer> e : failed.entrySet()) {
                Rule rule = prof == null ? null : prof.getRuleByRuleId(e.getKey());
                String d = rule == null ? "" : rule.getDescription().replaceAll("\\s+", " ");
                System.out.printf("  %s %s x%d: %s%n", e.getKey().getSpecification(), id(e.getKey()), e.getValue(), d);
            }
            System.exit(r.isCompliant() ? 0 : 1);
        } catch (Exception ex) {
            System.out.println("ERROR " + a[1] + ": " + ex);
            System.exit(2);
        }
    }
    /** The bundled default ProfileDirectory is empty in this build, so load the profile XML from the jar. */
    static ValidationProfile loadProfile(PDFAFlavour fl) throws Exception {
        String id = fl.getId().toUpperCase(Locale.ROOT);
        String name = id.startsWith("UA") ? (id.equals("UA1") ? "PDFUA-1" : "PDFUA-2-ISO32005")
                    : id.startsWith("WT") ? "WTPDF-1-0-" + (id.endsWith("ACCESSIBILITY") ? "Accessibility" : "Reuse")
                    : "PDFA-" + id;
        try (var in = VeraValidate.class.getResourceAsStream("/org/verapdf/pdfa/validation/" + name + ".xml")) {
            if (in == null) throw new IllegalArgumentException("no bundled profile " + name + ".xml for flavour " + fl.getId());
            return Profiles.profileFromXml(in);
        }
    }
    static String id(RuleId r) { return r.getClause() + "-" + r.getTestNumber(); }
    static String libVersion() {
        try (var in = VeraValidate.class.getResourceAsStream("/org/verapdf/release/validation-model.properties")) {
            Properties pr = new Properties(); pr.load(in); return pr.getProperty("verapdf.release.version");
        } catch (Exception e) { return "?"; }
    }
}
