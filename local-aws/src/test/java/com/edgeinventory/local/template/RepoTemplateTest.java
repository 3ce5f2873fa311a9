package com.edgeinventory.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The repository's real template.yaml, as provision and invoke see it. */
class RepoTemplateTest {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));

    private static ResolvedTemplate resolve(Map<String, String> overrides) {
        return TemplateResolver.resolve(TEMPLATE, ResolveOptions.defaults().withParameterOverrides(overrides));
    }

    @Test
    void edgeDeploymentHasTheUploadPath() {
        ResolvedTemplate t = resolve(Map.of());

        assertThat(t.conditions()).containsEntry("IsEdge", true);
        assertThat(t.resources()).containsKeys("UploadBucket", "InventoryTable", "UploadDeadLetterQueue");
        assertThat(t.resource("UploadBucket").physicalId())
                .isEqualTo("edge-inventory-dev-uploads-123456789012-eu-west-1");
        assertThat(t.resource("InventoryTable").physicalId()).isEqualTo("edge-inventory-dev-inventory");
        assertThat(t.outputs()).containsEntry("InventoryTableName", "edge-inventory-dev-inventory");
        assertThat(t.functions()).isNotEmpty();
    }

    @Test
    void everyFunctionGetsTheGlobals() {
        ResolvedTemplate t = resolve(Map.of("Stage", "qa"));

        assertThat(t.functions()).allSatisfy(f -> {
            assertThat(f.environment()).containsEntry("STAGE", "qa").containsKey("JAVA_TOOL_OPTIONS");
            assertThat(f.runtime()).isEqualTo("java25");
            assertThat(f.codeUri().toString()).endsWith(".jar");
            assertThat(f.handler()).contains("::");
        });
    }

    @Test
    void environmentReferencesResolveToPhysicalNames() {
        ResolvedTemplate t = resolve(Map.of("Stage", "qa"));

        assertThat(t.functions()).filteredOn(f -> f.environment().containsKey("INVENTORY_TABLE"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.environment()).containsEntry("INVENTORY_TABLE",
                        "edge-inventory-qa-inventory"));
    }

    @Test
    void s3EventsPointAtTheUploadBucket() {
        ResolvedTemplate t = resolve(Map.of());

        assertThat(t.functions().stream().flatMap(f -> f.s3Events().stream()).toList())
                .isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.bucketLogicalId()).isEqualTo("UploadBucket");
                    assertThat(e.events()).isNotEmpty();
                });
    }

    @Test
    void centralDeploymentHasNoEdgeResources() {
        ResolvedTemplate t = resolve(Map.of("DeploymentRole", "central"));

        assertThat(t.conditions()).containsEntry("IsEdge", false);
        assertThat(t.resources()).doesNotContainKeys("UploadBucket", "InventoryTable");
        assertThat(t.outputs()).doesNotContainKey("InventoryTableName");
    }

    @Test
    void parameterConstraintsOfTheRealTemplate() {
        assertThatThrownBy(() -> resolve(Map.of("DeploymentRole", "hub")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("is not one of the AllowedValues [edge, central]");
        assertThatThrownBy(() -> resolve(Map.of("Stage", "Bad_Stage")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("does not match AllowedPattern");
        assertThatThrownBy(() -> resolve(Map.of("LogRetentionDays", "2")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Parameter LogRetentionDays value '2' is not one of the AllowedValues");
    }
}
