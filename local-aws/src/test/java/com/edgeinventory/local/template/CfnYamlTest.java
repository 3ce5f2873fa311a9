package com.edgeinventory.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CfnYamlTest {

    @Test
    void shortTagsBecomeLongForms() {
        Map<String, Object> doc = CfnYaml.parse("""
                a: !Ref Stage
                b: !Sub "x-${Stage}"
                c: !Sub ["${A}", {A: !Ref B}]
                d: !GetAtt Table.StreamArn
                e: !GetAtt [Table, Arn]
                f: !If [IsEdge, 1, !Ref AWS::NoValue]
                g: !Equals [!Ref R, edge]
                h: !Not [!Condition IsEdge]
                i: !And [!Condition A, !Condition B]
                j: !Or [!Condition A, !Condition B]
                k: !Join ["-", [a, b]]
                l: !Select [0, !Split [",", "a,b"]]
                m: !FindInMap [Map, Top, Second]
                n: !Base64 text
                o: !ImportValue shared-vpc
                p: !GetAZs ""
                q: !Cidr ["10.0.0.0/16", 2, 8]
                r: !GetAtt Bucket.Nested.Attr
                """, "inline");

        assertThat(doc.get("a")).isEqualTo(Map.of("Ref", "Stage"));
        assertThat(doc.get("b")).isEqualTo(Map.of("Fn::Sub", "x-${Stage}"));
        assertThat(doc.get("c")).isEqualTo(Map.of("Fn::Sub", List.of("${A}", Map.of("A", Map.of("Ref", "B")))));
        assertThat(doc.get("d")).isEqualTo(Map.of("Fn::GetAtt", List.of("Table", "StreamArn")));
        assertThat(doc.get("e")).isEqualTo(Map.of("Fn::GetAtt", List.of("Table", "Arn")));
        assertThat(doc.get("f")).isEqualTo(Map.of("Fn::If", List.of("IsEdge", 1, Map.of("Ref", "AWS::NoValue"))));
        assertThat(doc.get("g")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "R"), "edge")));
        assertThat(doc.get("h")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Condition", "IsEdge"))));
        assertThat(doc.get("i")).isEqualTo(Map.of("Fn::And", List.of(Map.of("Condition", "A"),
                Map.of("Condition", "B"))));
        assertThat(doc.get("j")).isEqualTo(Map.of("Fn::Or", List.of(Map.of("Condition", "A"),
                Map.of("Condition", "B"))));
        assertThat(doc.get("k")).isEqualTo(Map.of("Fn::Join", List.of("-", List.of("a", "b"))));
        assertThat(doc.get("l")).isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", "a,b")))));
        assertThat(doc.get("m")).isEqualTo(Map.of("Fn::FindInMap", List.of("Map", "Top", "Second")));
        assertThat(doc.get("n")).isEqualTo(Map.of("Fn::Base64", "text"));
        assertThat(doc.get("o")).isEqualTo(Map.of("Fn::ImportValue", "shared-vpc"));
        assertThat(doc.get("p")).isEqualTo(Map.of("Fn::GetAZs", ""));
        assertThat(doc.get("q")).isEqualTo(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 2, 8)));
        assertThat(doc.get("r")).isEqualTo(Map.of("Fn::GetAtt", List.of("Bucket", "Nested.Attr")));
    }

    @Test
    void datesStayStrings() {
        Map<String, Object> doc = CfnYaml.parse("AWSTemplateFormatVersion: 2010-09-09\n", "inline");

        assertThat(doc.get("AWSTemplateFormatVersion")).isEqualTo("2010-09-09");
    }

    @Test
    void rejectsBrokenYamlWithTheLocation() {
        assertThatThrownBy(() -> CfnYaml.parse("a: [1, 2\nb: 3\n", "broken.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Invalid YAML in broken.yaml")
                .hasMessageContaining("line");
    }

    @Test
    void rejectsDuplicateKeys() {
        assertThatThrownBy(() -> CfnYaml.parse("a: 1\na: 2\n", "dup.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("dup.yaml");
    }

    @Test
    void rejectsANonMappingRoot() {
        assertThatThrownBy(() -> CfnYaml.parse("- a\n- b\n", "list.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Template list.yaml is not a YAML mapping");
    }

    @Test
    void rejectsAGetAttWithoutAttribute() {
        assertThatThrownBy(() -> CfnYaml.parse("a: !GetAtt Table\n", "x.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("!GetAtt Table must be LogicalId.Attribute");
    }

    @Test
    void reportsAMissingFile() {
        assertThatThrownBy(() -> CfnYaml.load(Path.of("/nonexistent/template.yaml")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Template not found: /nonexistent/template.yaml");
    }
}
