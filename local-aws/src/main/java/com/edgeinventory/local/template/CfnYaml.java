package com.edgeinventory.local.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads CloudFormation / SAM YAML. The short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt} ...)
 * become their long forms ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}, {@code {"Fn::GetAtt": [a, b]}}),
 * so the resolver only has to understand one shape. Timestamps stay strings, as CloudFormation reads them.
 */
public final class CfnYaml {

    /** Short tag (without the {@code !}) to the long-form key it stands for. */
    static final Map<String, String> SHORT_TAGS = Map.ofEntries(
            Map.entry("Ref", "Ref"),
            Map.entry("Condition", "Condition"),
            Map.entry("Sub", "Fn::Sub"),
            Map.entry("GetAtt", "Fn::GetAtt"),
            Map.entry("If", "Fn::If"),
            Map.entry("Equals", "Fn::Equals"),
            Map.entry("Not", "Fn::Not"),
            Map.entry("And", "Fn::And"),
            Map.entry("Or", "Fn::Or"),
            Map.entry("Join", "Fn::Join"),
            Map.entry("Select", "Fn::Select"),
            Map.entry("Split", "Fn::Split"),
            Map.entry("FindInMap", "Fn::FindInMap"),
            Map.entry("Base64", "Fn::Base64"),
            Map.entry("ImportValue", "Fn::ImportValue"),
            Map.entry("GetAZs", "Fn::GetAZs"),
            Map.entry("Cidr", "Fn::Cidr"));

    private CfnYaml() {
    }

    /** Parses a template file; the root must be a mapping. */
    public static Map<String, Object> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new TemplateException("Template not found: " + file);
        } catch (IOException e) {
            throw new TemplateException("Cannot read template " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses template text; {@code source} names it in error messages. */
    public static Map<String, Object> parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new CfnConstructor(options));
        Object root;
        try {
            root = yaml.load(text);
        } catch (MarkedYAMLException e) {
            throw new TemplateException("Invalid YAML in " + source + ": " + e.getProblem() + " " + e.getProblemMark()
                    .toString().strip(), e);
        } catch (YAMLException e) {
            throw new TemplateException("Invalid YAML in " + source + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new TemplateException("Template " + source + " is not a YAML mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) map;
        return result;
    }

    private static final class CfnConstructor extends SafeConstructor {

        CfnConstructor(LoaderOptions options) {
            super(options);
            for (Map.Entry<String, String> tag : SHORT_TAGS.entrySet()) {
                yamlConstructors.put(new Tag("!" + tag.getKey()), new ConstructIntrinsic(tag.getKey(), tag.getValue()));
            }
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        private final class ConstructIntrinsic extends AbstractConstruct {
            private final String shortName;
            private final String longName;

            ConstructIntrinsic(String shortName, String longName) {
                this.shortName = shortName;
                this.longName = longName;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> new ArrayList<>(constructSequence(sequence));
                    case MappingNode mapping -> new LinkedHashMap<>(constructMapping(mapping));
                    default -> throw new YAMLException("Unsupported node for !" + shortName);
                };
                if (shortName.equals("GetAtt") && value instanceof String s) {
                    int dot = s.indexOf('.');
                    if (dot <= 0 || dot == s.length() - 1) {
                        throw new TemplateException("!GetAtt " + s + " must be LogicalId.Attribute");
                    }
                    value = new ArrayList<>(List.of(s.substring(0, dot), s.substring(dot + 1)));
                }
                if (shortName.equals("GetAZs") && value == null) {
                    value = "";
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(longName, value);
                return intrinsic;
            }
        }
    }
}
