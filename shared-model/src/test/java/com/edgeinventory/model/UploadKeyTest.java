package com.edgeinventory.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UploadKeyTest {

    @Test
    void recognisesTheContractsShapes() {
        assertThat(UploadKey.parse("products/TR-RUN-42-BLU/product.json"))
                .isEqualTo(new UploadKey.ProductFile("products/TR-RUN-42-BLU/product.json", "TR-RUN-42-BLU"));
        assertThat(UploadKey.parse("products/TR-RUN-42-BLU/images/front.JPG"))
                .isEqualTo(new UploadKey.ProductImage("products/TR-RUN-42-BLU/images/front.JPG", "TR-RUN-42-BLU", "front", "jpg"));
        assertThat(UploadKey.parse("stock/WH-MUC-1/2026-11-27.001.jsonl"))
                .isEqualTo(new UploadKey.StockFile("stock/WH-MUC-1/2026-11-27.001.jsonl", "WH-MUC-1", "2026-11-27.001"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "products/tr-run/product.json | sku 'tr-run'",
        "products/TR-RUN/images/front.gif | extension '.gif' is not supported",
        "products/TR-RUN/images/.hidden.png | image name '.hidden'",
        "stock/WH 1/b1.jsonl | warehouseId 'WH 1'",
        "derived/TR-RUN/front/128.jpg | does not follow the upload contract",
        "products/TR-RUN/notes.txt | does not follow the upload contract"
    })
    void explainsWhyAKeyIsNotRecognised(String key, String reason) {
        assertThat(UploadKey.parse(key)).isInstanceOfSatisfying(UploadKey.Unrecognized.class,
                u -> assertThat(u.reason()).contains(reason));
    }

    @Test
    void sequencersCompareByNumericValueWhateverTheirLength() {
        assertThat(Sequencer.of("0055AED6DCD90281E5").isAfter(Sequencer.of("0055AED6DCD90281E4"))).isTrue();
        assertThat(Sequencer.of("100").isAfter(Sequencer.of("FF"))).isTrue();
        assertThat(Sequencer.of("ff")).isEqualTo(Sequencer.of("00FF"));
        assertThat(Sequencer.of("1").normalized()).hasSize(Sequencer.WIDTH).endsWith("1");
        assertThatThrownBy(() -> Sequencer.of("xyz")).hasMessageContaining("hex digits");
        assertThatThrownBy(() -> Sequencer.of(null)).hasMessageContaining("hex digits");
    }
}
