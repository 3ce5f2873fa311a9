package com.edgeinventory.local.trigger.async;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class S3SequencersTest {

    static final String MOTO_EVENT = """
            {"Records":[{"eventTime":"2026-11-27T08:00:00.000Z","eventName":"ObjectCreated:Put",
              "s3":{"object":{"key":"products%2FA%2Fproduct.json","sequencer":""}}}]}
            """;

    private static String sequencer(String body) throws Exception {
        return new ObjectMapper().readTree(body).at("/Records/0/s3/object/sequencer").asText();
    }

    @Test
    void fillsAnEmptySequencerWithAHexValueThatGrowsWithEachNotification() throws Exception {
        String first = sequencer(S3Sequencers.fillMissing(MOTO_EVENT));
        String second = sequencer(S3Sequencers.fillMissing(MOTO_EVENT));

        assertThat(first).matches("[0-9A-F]{21}");
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void aLaterEventTimeGivesAGreaterSequencer() throws Exception {
        String later = sequencer(S3Sequencers.fillMissing(MOTO_EVENT.replace("08:00:00.000", "08:00:00.001")));
        String earlier = sequencer(S3Sequencers.fillMissing(MOTO_EVENT));

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void keepsAnExistingSequencerAndLeavesOtherBodiesAlone() {
        String real = MOTO_EVENT.replace("\"sequencer\":\"\"", "\"sequencer\":\"0055AED6DCD90281E5\"");

        assertThat(S3Sequencers.fillMissing(real)).isEqualTo(real);
        assertThat(S3Sequencers.fillMissing("{\"Event\":\"s3:TestEvent\"}")).isEqualTo("{\"Event\":\"s3:TestEvent\"}");
        assertThat(S3Sequencers.fillMissing("not json")).isEqualTo("not json");
    }
}
