package com.edgeinventory.system.snapstart;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.edgeinventory.central.handler.CentralAggregator;
import com.edgeinventory.inventory.handler.ProductUploadHandler;
import com.edgeinventory.retail.handler.TransactionHandler;

import edu.umd.cs.findbugs.BugCollectionBugReporter;
import edu.umd.cs.findbugs.BugInstance;
import edu.umd.cs.findbugs.ClassScreener;
import edu.umd.cs.findbugs.DetectorFactoryCollection;
import edu.umd.cs.findbugs.FindBugs2;
import edu.umd.cs.findbugs.Plugin;
import edu.umd.cs.findbugs.Priorities;
import edu.umd.cs.findbugs.Project;
import edu.umd.cs.findbugs.config.UserPreferences;

/**
 * State captured before a SnapStart snapshot and reused after the restore: every function here runs with SnapStart,
 * so whatever a handler computes in its init (random seeds, unique ids, the time) is computed once at publish and
 * shared by every environment restored from the snapshot, hours later. The local runtime cannot show that (each of
 * its snapshots is one environment that ran its own init), so this test runs AWS's own detector for it, the
 * SnapStart rules for SpotBugs ({@code aws-lambda-snapstart-java-rules}, bug pattern
 * {@value #SNAP_START_BUG}), over every function jar, and proves on a fixture that the detector finds each kind.
 * Credentials and connections from before the snapshot are handled by the SDK (container credentials are
 * refreshed, connections re-opened); {@code LambdaCredentialsIT} and the demo cover the credentials side.
 */
class SnapStartHygieneIT {

    static final String SNAP_START_BUG = "AWS_LAMBDA_SNAP_START_BUG";

    @Test
    void noFunctionCapturesRandomnessOrTimeBeforeTheSnapshot() throws Exception {
        List<BugInstance> found = analyse(List.of(classesOf(ProductUploadHandler.class),
                classesOf(TransactionHandler.class), classesOf(CentralAggregator.class)), "com.edgeinventory.");

        assertThat(found).extracting(SnapStartHygieneIT::describe).isEmpty();
    }

    @Test
    void theDetectorFindsASeedAnIdAndTheTimeCapturedInAHandlersInit() throws Exception {
        List<BugInstance> found = analyse(List.of(classesOf(CapturesStateBeforeSnapshot.class)),
                CapturesStateBeforeSnapshot.class.getPackageName() + ".");

        assertThat(found).extracting(b -> b.getPrimarySourceLineAnnotation().getStartLine())
                .as("the random, the UUID, Instant.now() and System.nanoTime() fields")
                .containsExactlyInAnyOrderElementsOf(fieldLines(Path.of("src/test/java",
                        CapturesStateBeforeSnapshot.class.getName().replace('.', '/') + ".java")));
        assertThat(found).allSatisfy(b -> assertThat(b.getBugPattern().getType()).isEqualTo(SNAP_START_BUG));
    }

    /** The lines of the fixture that declare an instance field. */
    private static List<Integer> fieldLines(Path source) throws Exception {
        List<String> lines = Files.readAllLines(source);
        return java.util.stream.IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).trim().startsWith("private final "))
                .mapToObj(i -> i + 1).toList();
    }

    private static String describe(BugInstance bug) {
        return bug.getPrimaryClass().getClassName() + ":" + bug.getPrimarySourceLineAnnotation().getStartLine()
                + " " + bug.getMessageWithoutPrefix();
    }

    /** Where a class was loaded from: a module's jar or its classes directory. */
    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** SpotBugs with only the SnapStart rules' findings kept, over the classes under {@code packagePrefix}. */
    private static List<BugInstance> analyse(List<Path> code, String packagePrefix) throws Exception {
        Path rules = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("aws-lambda-snapstart-java-rules"))
                .findFirst().orElseThrow(() -> new AssertionError("aws-lambda-snapstart-java-rules not on the "
                        + "test class path"));
        Plugin.loadCustomPlugin(rules.toFile(), null);
        Project project = new Project();
        code.forEach(c -> project.addFile(c.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            project.addAuxClasspathEntry(entry);
        }
        BugCollectionBugReporter reporter = new BugCollectionBugReporter(project);
        reporter.setPriorityThreshold(Priorities.LOW_PRIORITY);
        ClassScreener screener = new ClassScreener();
        screener.addAllowedPrefix(packagePrefix);
        try (FindBugs2 engine = new FindBugs2()) {
            engine.setProject(project);
            engine.setBugReporter(reporter);
            engine.setDetectorFactoryCollection(DetectorFactoryCollection.instance());
            engine.setUserPreferences(UserPreferences.createDefaultUserPreferences());
            engine.setClassScreener(screener);
            engine.setNoClassOk(false);
            engine.execute();
        }
        return reporter.getBugCollection().getCollection().stream()
                .filter(b -> b.getBugPattern().getType().equals(SNAP_START_BUG)).toList();
    }
}
