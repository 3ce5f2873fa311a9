package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DynamoDbFaultsTest {

    @Test
    void parsesProbabilitiesOperationsAndSeed() {
        DynamoDbFaults faults = DynamoDbFaults.parse("throttle=0.2,error=0.05,ops=TransactWriteItems+UpdateItem,seed=7");

        assertThat(faults).isEqualTo(new DynamoDbFaults(0.2, 0.05, Set.of("TransactWriteItems", "UpdateItem"), 7));
        assertThat(faults.affects("UpdateItem")).isTrue();
        assertThat(faults.affects("GetItem")).isFalse();
        DynamoDbFaults all = DynamoDbFaults.parse("error=0.1");
        assertThat(all.throttle()).isZero();
        assertThat(all.seed()).isEqualTo(DynamoDbFaults.DEFAULT_SEED);
        assertThat(all.affects("GetItem")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "throttle                       | 'throttle' is not key=value",
            "throttle=0.2,burst=1           | unknown key 'burst'",
            "throttle=0.2,throttle=0.3      | 'throttle' is given twice",
            "seed=3                         | sets neither throttle nor error",
            "throttle=lots                  | throttle 'lots' is not a number",
            "error=1.5                      | error 1.5 is not a probability",
            "throttle=0.7,error=0.5         | is more than 1",
            "throttle=0.1,ops=Update-Item   | ops: 'Update-Item' is not an operation name",
            "throttle=0.1,seed=x            | seed 'x' is not a whole number",
    })
    void badSpecsNameThePartAtFault(String spec, String message) {
        assertThatThrownBy(() -> DynamoDbFaults.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
