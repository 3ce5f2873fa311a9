package com.edgeinventory.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TemplateResolverTest {

    private static final Path TEMPLATE = Path.of("/repo/template.yaml");

    private static ResolvedTemplate resolve(String yaml) {
        return resolve(yaml, ResolveOptions.defaults());
    }

    private static ResolvedTemplate resolve(String yaml, ResolveOptions options) {
        return TemplateResolver.resolve(CfnYaml.parse(yaml, "inline"), TEMPLATE, options);
    }

    /** Resolves {@code value} as the property P of a dummy resource next to the given sections. */
    private static Object value(String sections, String value) {
        return value(sections, value, ResolveOptions.defaults());
    }

    private static Object value(String sections, String value, ResolveOptions options) {
        String yaml = sections + """

                Resources:
                  Probe:
                    Type: Custom::Probe
                    Properties:
                      P: %s
                """.formatted(value);
        return resolve(yaml, options).resource("Probe").properties().get("P");
    }

    private static final String COMMON = """
            Parameters:
              Stage: {Type: String, Default: dev}
              Sizes: {Type: CommaDelimitedList, Default: "128,512"}
              Count: {Type: Number, Default: 3}
            Mappings:
              Regions:
                eu-west-1: {Short: euw1}
            Conditions:
              IsDev: !Equals [!Ref Stage, dev]
              IsProd: !Not [!Condition IsDev]
              DevAndThree: !And [!Condition IsDev, !Equals [!Ref Count, 3]]
              ProdOrThree: !Or [!Condition IsProd, !Equals ["3", !Ref Count]]
            """;

    @Nested
    class Intrinsics {

        @Test
        void refToParametersAndPseudoParameters() {
            assertThat(value(COMMON, "!Ref Stage")).isEqualTo("dev");
            assertThat(value(COMMON, "!Ref Count")).isEqualTo("3");
            assertThat(value(COMMON, "!Ref Sizes")).isEqualTo(List.of("128", "512"));
            assertThat(value(COMMON, "!Ref AWS::Region")).isEqualTo("eu-west-1");
            assertThat(value(COMMON, "!Ref AWS::AccountId")).isEqualTo("123456789012");
            assertThat(value(COMMON, "!Ref AWS::StackName")).isEqualTo("edge-inventory");
            assertThat(value(COMMON, "!Ref AWS::Partition")).isEqualTo("aws");
            assertThat(value(COMMON, "!Ref AWS::URLSuffix")).isEqualTo("amazonaws.com");
        }

        @Test
        void pseudoParametersFollowTheOptions() {
            ResolveOptions options = ResolveOptions.defaults().withRegion("cn-north-1").withStackName("s1");

            assertThat(value(COMMON, "!Sub '${AWS::Partition} ${AWS::URLSuffix} ${AWS::StackName} ${AWS::Region}'",
                    options)).isEqualTo("aws-cn amazonaws.com.cn s1 cn-north-1");
        }

        @Test
        void refToAFunctionsAliasIsTheAliasArnAsSamPublishesIt() {
            ResolvedTemplate t = resolve(COMMON + """
                    Globals:
                      Function:
                        AutoPublishAlias: live
                    Resources:
                      Fn:
                        Type: AWS::Serverless::Function
                        Properties:
                          FunctionName: authorizer
                          Handler: a.B::handle
                          Runtime: java25
                          CodeUri: x.jar
                      Probe:
                        Type: Custom::Probe
                        Properties:
                          Alias: !Ref Fn.Alias
                    """);

            assertThat(t.resource("Probe").properties())
                    .containsEntry("Alias", "arn:aws:lambda:eu-west-1:123456789012:function:authorizer:live");
            assertThatThrownBy(() -> resolve(COMMON + """
                    Resources:
                      Fn:
                        Type: AWS::Serverless::Function
                        Properties:
                          FunctionName: plain
                          Handler: a.B::handle
                          Runtime: java25
                          CodeUri: x.jar
                      Probe:
                        Type: Custom::Probe
                        Properties:
                          Alias: !Ref Fn.Alias
                    """)).isInstanceOf(TemplateException.class).hasMessageContaining("Fn.Alias needs AutoPublishAlias");
        }

        @Test
        void noValueRemovesTheKeyAndTheListElement() {
            ResolvedTemplate t = resolve(COMMON + """
                    Resources:
                      Probe:
                        Type: Custom::Probe
                        Properties:
                          Kept: 1
                          Gone: !Ref AWS::NoValue
                          List: [a, !If [IsProd, b, !Ref AWS::NoValue], c]
                    """);

            assertThat(t.resource("Probe").properties())
                    .containsEntry("Kept", 1)
                    .doesNotContainKey("Gone")
                    .containsEntry("List", List.of("a", "c"));
        }

        @Test
        void subInAllItsForms() {
            assertThat(value(COMMON, "!Sub 'app-${Stage}-${AWS::Region}'")).isEqualTo("app-dev-eu-west-1");
            assertThat(value(COMMON, "!Sub ['${Name}-${Stage}', {Name: !Join ['', [x, y]]}]")).isEqualTo("xy-dev");
            assertThat(value(COMMON, "!Sub 'literal ${!Stage} and ${ Stage }'")).isEqualTo("literal ${Stage} and dev");
            assertThat(value(COMMON, "!Sub 'no variables'")).isEqualTo("no variables");
        }

        @Test
        void subReferencesResourcesAndAttributes() {
            ResolvedTemplate t = resolve(COMMON + """
                    Resources:
                      Table:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          TableName: !Sub "inv-${Stage}"
                          StreamSpecification: {StreamViewType: NEW_IMAGE}
                      Probe:
                        Type: Custom::Probe
                        Properties:
                          Name: !Sub "${Table}"
                          Arn: !Sub "${Table.Arn}"
                          Stream: !Sub "${Table.StreamArn}"
                    """);

            assertThat(t.resource("Probe").properties())
                    .containsEntry("Name", "inv-dev")
                    .containsEntry("Arn", "arn:aws:dynamodb:eu-west-1:123456789012:table/inv-dev")
                    .containsEntry("Stream",
                            "arn:aws:dynamodb:eu-west-1:123456789012:table/inv-dev/stream/1970-01-01T00:00:00.000");
        }

        @Test
        void joinSelectSplitFindInMapBase64GetAzsCidr() {
            assertThat(value(COMMON, "!Join [',', !Ref Sizes]")).isEqualTo("128,512");
            assertThat(value(COMMON, "!Select [1, !Ref Sizes]")).isEqualTo("512");
            assertThat(value(COMMON, "!Select ['0', !Split ['/', 'a/b/c']]")).isEqualTo("a");
            assertThat(value(COMMON, "!Split ['/', 'a//c']")).isEqualTo(List.of("a", "", "c"));
            assertThat(value(COMMON, "!FindInMap [Regions, !Ref AWS::Region, Short]")).isEqualTo("euw1");
            assertThat(value(COMMON, "!FindInMap [Regions, us-east-1, Short, {DefaultValue: none}]"))
                    .isEqualTo("none");
            assertThat(value(COMMON, "!Base64 {'Fn::Sub': 'hi ${Stage}'}"))
                    .isEqualTo(Base64.getEncoder().encodeToString("hi dev".getBytes()));
            assertThat(value(COMMON, "!GetAZs ''")).isEqualTo(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"));
            assertThat(value(COMMON, "!Cidr ['10.0.0.0/16', 3, 8]"))
                    .isEqualTo(List.of("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"));
        }

        @Test
        void longFormsWorkToo() {
            assertThat(value(COMMON, "{'Fn::Sub': 'x-${Stage}'}")).isEqualTo("x-dev");
            assertThat(value(COMMON, "{'Fn::If': [IsDev, small, big]}")).isEqualTo("small");
            assertThat(value(COMMON, "{'Fn::Join': ['-', [a, {Ref: Stage}]]}")).isEqualTo("a-dev");
        }

        @Test
        void ifPicksTheBranchOfItsCondition() {
            assertThat(value(COMMON, "!If [IsDev, small, big]")).isEqualTo("small");
            assertThat(value(COMMON, "!If [IsProd, small, big]")).isEqualTo("big");
            assertThat(value(COMMON, "!If [IsProd, small, big]",
                    ResolveOptions.defaults().withParameterOverrides(Map.of("Stage", "prod")))).isEqualTo("small");
        }
    }

    @Nested
    class Conditions {

        @Test
        void evaluatesEqualsNotAndOrCondition() {
            ResolvedTemplate dev = resolve(COMMON + "Resources: {R: {Type: Custom::X}}");
            ResolvedTemplate prod = resolve(COMMON + "Resources: {R: {Type: Custom::X}}",
                    ResolveOptions.defaults().withParameterOverrides(Map.of("Stage", "prod", "Count", "4")));

            assertThat(dev.conditions()).containsExactlyInAnyOrderEntriesOf(Map.of("IsDev", true, "IsProd", false,
                    "DevAndThree", true, "ProdOrThree", true));
            assertThat(prod.conditions()).containsExactlyInAnyOrderEntriesOf(Map.of("IsDev", false, "IsProd", true,
                    "DevAndThree", false, "ProdOrThree", true));
        }

        @Test
        void resourcesWhoseConditionIsFalseDoNotExist() {
            String yaml = COMMON + """
                    Resources:
                      DevOnly: {Type: Custom::X, Condition: IsDev}
                      ProdOnly: {Type: Custom::X, Condition: IsProd}
                    Outputs:
                      ProdName: {Condition: IsProd, Value: !Ref ProdOnly}
                      DevName: {Condition: IsDev, Value: !Ref DevOnly}
                    """;

            ResolvedTemplate t = resolve(yaml);

            assertThat(t.resources()).containsOnlyKeys("DevOnly");
            assertThat(t.outputs()).containsOnlyKeys("DevName");
            assertThatThrownBy(() -> t.resource("ProdOnly"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resource ProdOnly does not exist")
                    .hasMessageContaining("Resources: DevOnly");
        }

        @Test
        void refToAResourceWhoseConditionIsFalseIsAnError() {
            assertThatThrownBy(() -> resolve(COMMON + """
                    Resources:
                      ProdOnly: {Type: Custom::X, Condition: IsProd}
                      User: {Type: Custom::X, Properties: {P: !Ref ProdOnly}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resources.User.Properties.P refers to resource ProdOnly, which does not "
                            + "exist because its condition IsProd is false");
        }

        @Test
        void undefinedAndCyclicConditionsAreErrors() {
            assertThatThrownBy(() -> resolve("Resources: {R: {Type: Custom::X, Condition: Missing}}"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resources.R.Condition refers to condition Missing, which is not defined");
            assertThatThrownBy(() -> resolve("""
                    Conditions:
                      A: !Not [!Condition B]
                      B: !Not [!Condition A]
                    Resources: {R: {Type: Custom::X}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("refers to itself");
        }

        @Test
        void conditionsCannotReferToResources() {
            assertThatThrownBy(() -> resolve("""
                    Conditions:
                      C: !Equals [!Ref R, x]
                    Resources: {R: {Type: Custom::X}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("conditions can only refer to parameters");
        }
    }

    @Nested
    class Parameters {

        private static final String PARAMS = """
                Parameters:
                  Role: {Type: String, Default: edge, AllowedValues: [edge, central]}
                  Stage: {Type: String, Default: dev, AllowedPattern: "^[a-z][a-z0-9-]{1,15}$",
                          ConstraintDescription: lowercase}
                  Days: {Type: Number, Default: 30, AllowedValues: [1, 30, 90]}
                  Max: {Type: Number, Default: 5, MinValue: 1, MaxValue: 10}
                  Name: {Type: String, Default: abc, MinLength: 2, MaxLength: 4}
                Resources: {R: {Type: Custom::X}}
                """;

        private ResolvedTemplate withOverrides(Map<String, String> overrides) {
            return resolve(PARAMS, ResolveOptions.defaults().withParameterOverrides(overrides));
        }

        @Test
        void overridesWinOverDefaults() {
            ResolvedTemplate t = withOverrides(Map.of("Role", "central", "Days", "90", "Stage", "qa-2"));

            assertThat(t.parameters()).containsEntry("Role", "central").containsEntry("Days", "90")
                    .containsEntry("Stage", "qa-2").containsEntry("Max", "5");
        }

        @Test
        void numericAllowedValuesCompareAsNumbers() {
            assertThat(withOverrides(Map.of("Days", "30.0")).parameters()).containsEntry("Days", "30.0");
        }

        @Test
        void rejectsValuesOutsideTheirConstraints() {
            assertThatThrownBy(() -> withOverrides(Map.of("Role", "hub")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Role value 'hub' is not one of the AllowedValues [edge, central]");
            assertThatThrownBy(() -> withOverrides(Map.of("Stage", "Prod")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Stage value 'Prod' does not match AllowedPattern "
                            + "^[a-z][a-z0-9-]{1,15}$ (lowercase)");
            assertThatThrownBy(() -> withOverrides(Map.of("Days", "7")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Days value '7' is not one of the AllowedValues [1, 30, 90]");
            assertThatThrownBy(() -> withOverrides(Map.of("Days", "thirty")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Days must be a number, got 'thirty'");
            assertThatThrownBy(() -> withOverrides(Map.of("Max", "11")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Max value 11 is above MaxValue 10");
            assertThatThrownBy(() -> withOverrides(Map.of("Max", "0")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Max value 0 is below MinValue 1");
            assertThatThrownBy(() -> withOverrides(Map.of("Name", "abcde")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Name value 'abcde' is longer than MaxLength 4");
        }

        @Test
        void rejectsUnknownOverrides() {
            assertThatThrownBy(() -> withOverrides(Map.of("Stge", "dev")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Unknown parameter in --parameter-overrides: Stge. Template parameters: Role, Stage, "
                            + "Days, Max, Name");
        }

        @Test
        void aParameterWithoutDefaultNeedsAnOverride() {
            String yaml = "Parameters: {Key: {Type: String}}\nResources: {R: {Type: Custom::X}}";

            assertThatThrownBy(() -> resolve(yaml))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Parameter Key has no Default; pass --parameter-overrides Key=<value>");
            assertThat(resolve(yaml, ResolveOptions.defaults().withParameterOverrides(Map.of("Key", "v")))
                    .parameters()).containsEntry("Key", "v");
        }
    }

    @Nested
    class Resources {

        private static final String STORAGE = """
                Resources:
                  NamedTable:
                    Type: AWS::DynamoDB::Table
                    Properties: {TableName: orders}
                  Table:
                    Type: AWS::DynamoDB::Table
                  Bucket:
                    Type: AWS::S3::Bucket
                  Queue:
                    Type: AWS::SQS::Queue
                    Properties: {QueueName: jobs}
                  Fifo:
                    Type: AWS::SQS::Queue
                    Properties: {FifoQueue: true}
                  Stream:
                    Type: AWS::Kinesis::Stream
                    Properties: {Name: events}
                  Logs:
                    Type: AWS::Logs::LogGroup
                  Probe:
                    Type: Custom::Probe
                    Properties:
                      NamedTable: !Ref NamedTable
                      Table: !Ref Table
                      TableArn: !GetAtt Table.Arn
                      Bucket: !Ref Bucket
                      BucketArn: !GetAtt Bucket.Arn
                      BucketDomain: !GetAtt Bucket.DomainName
                      QueueUrl: !Ref Queue
                      QueueArn: !GetAtt Queue.Arn
                      QueueName: !GetAtt [Queue, QueueName]
                      FifoName: !GetAtt Fifo.QueueName
                      StreamArn: !GetAtt Stream.Arn
                      LogsArn: !GetAtt Logs.Arn
                """;

        @Test
        void physicalIdsAndAttributes() {
            Map<String, Object> p = resolve(STORAGE).resource("Probe").properties();

            assertThat(p).containsEntry("NamedTable", "orders")
                    .containsEntry("Table", "edge-inventory-Table")
                    .containsEntry("TableArn", "arn:aws:dynamodb:eu-west-1:123456789012:table/edge-inventory-Table")
                    .containsEntry("Bucket", "edge-inventory-bucket")
                    .containsEntry("BucketArn", "arn:aws:s3:::edge-inventory-bucket")
                    .containsEntry("BucketDomain", "edge-inventory-bucket.s3.amazonaws.com")
                    .containsEntry("QueueUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs")
                    .containsEntry("QueueArn", "arn:aws:sqs:eu-west-1:123456789012:jobs")
                    .containsEntry("QueueName", "jobs")
                    .containsEntry("FifoName", "edge-inventory-Fifo.fifo")
                    .containsEntry("StreamArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/events")
                    .containsEntry("LogsArn", "arn:aws:logs:eu-west-1:123456789012:log-group:edge-inventory-Logs:*");
        }

        @Test
        void queueUrlsFollowTheEndpoint() {
            ResolveOptions options = ResolveOptions.defaults().withEndpoint(URI.create("http://127.0.0.1:4566"));

            assertThat(resolve(STORAGE, options).resource("Probe").properties())
                    .containsEntry("QueueUrl", "http://127.0.0.1:4566/123456789012/jobs");
        }

        @Test
        void deployedValuesWin() {
            DeployedValues deployed = new DeployedValues() {
                @Override
                public Optional<String> findRef(String logicalId) {
                    return logicalId.equals("Queue") ? Optional.of("http://real/123456789012/jobs") : Optional.empty();
                }

                @Override
                public Optional<String> findAttribute(String logicalId, String attribute) {
                    return logicalId.equals("Table") && attribute.equals("Arn") ? Optional.of("arn:real")
                            : Optional.empty();
                }
            };

            Map<String, Object> p = resolve(STORAGE, ResolveOptions.defaults().withDeployed(deployed))
                    .resource("Probe").properties();

            assertThat(p).containsEntry("QueueUrl", "http://real/123456789012/jobs")
                    .containsEntry("TableArn", "arn:real")
                    .containsEntry("QueueArn", "arn:aws:sqs:eu-west-1:123456789012:jobs");
        }

        @Test
        void typedViews() {
            ResolvedTemplate t = resolve(STORAGE);

            assertThat(t.tables()).extracting(ResolvedResource::logicalId).containsExactly("NamedTable", "Table");
            assertThat(t.buckets()).extracting(ResolvedResource::physicalId).containsExactly("edge-inventory-bucket");
            assertThat(t.queues()).extracting(ResolvedResource::physicalId)
                    .containsExactly("jobs", "edge-inventory-Fifo.fifo");
            assertThat(t.kinesisStreams()).extracting(ResolvedResource::physicalId).containsExactly("events");
        }

        @Test
        void unsupportedThingsFailWithTheirLocation() {
            assertThatThrownBy(() -> resolve("""
                    Resources:
                      Q: {Type: AWS::SQS::Queue}
                      Probe: {Type: Custom::Probe, Properties: {P: !GetAtt Q.Nope}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Resources.Probe.Properties.P.Fn::GetAtt: attribute Nope of Q (AWS::SQS::Queue) is "
                            + "not supported locally");
            assertThatThrownBy(() -> value("", "!ImportValue shared"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Fn::ImportValue (shared) cannot be resolved locally");
            assertThatThrownBy(() -> value("", "!Ref Nothing"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Resources.Probe.Properties.P refers to Nothing, which is not a parameter, pseudo "
                            + "parameter or resource of the template");
            assertThatThrownBy(() -> value("", "{'Fn::Length': [1]}"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("unsupported intrinsic function Fn::Length");
            assertThatThrownBy(() -> value("", "!Sub 'x-${Open'"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("unterminated ${");
            assertThatThrownBy(() -> value("", "!Select [5, [a]]"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("index 5 is out of range for a list of 1");
            assertThatThrownBy(() -> resolve("""
                    Resources:
                      T: {Type: AWS::DynamoDB::Table}
                      Probe: {Type: Custom::Probe, Properties: {P: !GetAtt T.StreamArn}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("table T has no StreamSpecification");
        }

        @Test
        void aTemplateWithoutResourcesIsAnError() {
            assertThatThrownBy(() -> resolve("Parameters: {}"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Template /repo/template.yaml has no Resources");
        }
    }

    @Nested
    class Functions {

        private static final String SAM = """
                Parameters:
                  Stage: {Type: String, Default: dev}
                Globals:
                  Function:
                    Runtime: java25
                    Timeout: 60
                    MemorySize: 1024
                    Layers: [global-layer]
                    Tags: {team: edge, tier: app}
                    Environment:
                      Variables:
                        STAGE: !Ref Stage
                        SHARED: from-globals
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/target/fn.jar
                      Handler: com.example.Handler::handleRequest
                      Timeout: 120
                      Layers: [own-layer]
                      Tags: {tier: fn}
                      Environment:
                        Variables:
                          SHARED: from-function
                          BUCKET: !Ref Bucket
                      EventInvokeConfig:
                        MaximumRetryAttempts: 2
                      Events:
                        Upload:
                          Type: S3
                          Properties:
                            Bucket: !Ref Bucket
                            Events: s3:ObjectCreated:*
                            Filter:
                              S3Key:
                                Rules:
                                  - {Name: Prefix, Value: in/}
                                  - {Name: suffix, Value: .json}
                        Nightly:
                          Type: Schedule
                          Properties: {Schedule: rate(1 day)}
                  Minimal:
                    Type: AWS::Serverless::Function
                    Properties:
                      FunctionName: !Sub "minimal-${Stage}"
                      CodeUri: m.jar
                      Handler: m.H::handle
                      Timeout: 5
                      LoggingConfig: {LogGroup: /custom/group}
                """;

        @Test
        void globalsMergeLikeSam() {
            ResolvedTemplate t = resolve(SAM);
            FunctionDef fn = t.function("Fn");
            Map<String, Object> props = t.resource("Fn").properties();

            assertThat(fn.timeoutSeconds()).isEqualTo(120);
            assertThat(fn.memorySize()).isEqualTo(1024);
            assertThat(fn.runtime()).isEqualTo("java25");
            assertThat(fn.environment()).containsExactly(Map.entry("STAGE", "dev"),
                    Map.entry("SHARED", "from-function"), Map.entry("BUCKET", "edge-inventory-bucket"));
            assertThat(props.get("Layers")).isEqualTo(List.of("global-layer", "own-layer"));
            assertThat(props.get("Tags")).isEqualTo(Map.of("team", "edge", "tier", "fn"));
        }

        @Test
        void functionModel() {
            ResolvedTemplate t = resolve(SAM);
            FunctionDef fn = t.function("Fn");
            FunctionDef minimal = t.function("Minimal");

            assertThat(fn.functionName()).isEqualTo("edge-inventory-Fn");
            assertThat(fn.handler()).isEqualTo("com.example.Handler::handleRequest");
            assertThat(fn.codeUri()).isEqualTo(Path.of("/repo/functions/target/fn.jar"));
            assertThat(fn.arn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:edge-inventory-Fn");
            assertThat(fn.logGroupName()).isEqualTo("/aws/lambda/edge-inventory-Fn");
            assertThat(fn.eventInvokeConfig()).containsEntry("MaximumRetryAttempts", 2);
            assertThat(minimal.functionName()).isEqualTo("minimal-dev");
            assertThat(minimal.logGroupName()).isEqualTo("/custom/group");
            assertThat(minimal.timeoutSeconds()).isEqualTo(5);
            assertThat(minimal.events()).isEmpty();
        }

        @Test
        void eventsAreTypedForS3AndKeptGenericOtherwise() {
            FunctionDef fn = resolve(SAM).function("Fn");

            assertThat(fn.events()).hasSize(2);
            assertThat(fn.s3Events()).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("Upload");
                assertThat(e.bucketLogicalId()).isEqualTo("Bucket");
                assertThat(e.events()).containsExactly("s3:ObjectCreated:*");
                assertThat(e.filterRules()).containsExactly(new EventSource.FilterRule("prefix", "in/"),
                        new EventSource.FilterRule("suffix", ".json"));
            });
            assertThat(fn.event("Nightly")).get().isInstanceOfSatisfying(EventSource.Generic.class, e -> {
                assertThat(e.type()).isEqualTo("Schedule");
                assertThat(e.properties()).containsEntry("Schedule", "rate(1 day)");
            });
        }

        @Test
        void unknownFunctionNamesTheKnownOnes() {
            assertThatThrownBy(() -> resolve(SAM).function("Nope"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Function Nope does not exist")
                    .hasMessageContaining("Functions: Fn, Minimal");
        }

        @Test
        void s3EventsMustRefABucketOfTheTemplate() {
            String yaml = """
                    Resources:
                      Fn:
                        Type: AWS::Serverless::Function
                        Properties:
                          CodeUri: f.jar
                          Handler: a.B::c
                          Events:
                            Up:
                              Type: S3
                              Properties: {Bucket: some-bucket-name, Events: s3:ObjectCreated:*}
                    """;

            assertThatThrownBy(() -> resolve(yaml))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resources.Fn.Properties.Events.Up.Properties.Bucket must be !Ref to an "
                            + "AWS::S3::Bucket of this template");
        }

        @Test
        void functionsNeedAHandlerAndALocalCodeUri() {
            assertThatThrownBy(() -> resolve("""
                    Resources:
                      Fn: {Type: AWS::Serverless::Function, Properties: {CodeUri: f.jar}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("Resources.Fn.Properties.Handler is required");
            assertThatThrownBy(() -> resolve("""
                    Resources:
                      Fn:
                        Type: AWS::Serverless::Function
                        Properties: {Handler: a.B::c, CodeUri: {Bucket: b, Key: k}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("CodeUri must be a local path");
        }

        @Test
        void environmentValuesMustBeScalars() {
            assertThatThrownBy(() -> resolve("""
                    Resources:
                      Fn:
                        Type: AWS::Serverless::Function
                        Properties:
                          Handler: a.B::c
                          CodeUri: f.jar
                          Environment: {Variables: {AZS: !GetAZs ''}}
                    """))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resources.Fn.Properties.Environment.Variables.AZS must resolve to a string");
        }
    }
}
