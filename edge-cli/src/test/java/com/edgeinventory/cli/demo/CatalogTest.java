package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.model.Parsed;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.ProductParser;
import com.edgeinventory.model.StockAdjustment;
import com.edgeinventory.model.StockFileParser;
import com.edgeinventory.model.UploadKey;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void everyProductJsonPassesTheUploadContractsParser() {
        Catalog catalog = Catalog.generate("eu-west-1", 200, 20, 42);

        assertThat(catalog.products()).hasSize(200);
        for (Catalog.Product p : catalog.products()) {
            assertThat(UploadKey.parse(p.key())).isInstanceOf(UploadKey.ProductFile.class);
            Parsed<Product> parsed = ProductParser.parse(p.json(), p.sku());
            assertThat(parsed).as(p.sku() + ": " + parsed).isInstanceOf(Parsed.Valid.class);
            Product product = ((Parsed.Valid<Product>) parsed).value();
            assertThat(product.sku()).isEqualTo(p.sku());
            assertThat(product.stock()).isEqualTo(p.stock());
            assertThat(product.price().currency()).isEqualTo("EUR");
            assertThat(product.styleId()).isEqualTo(p.styleId());
        }
        assertThat(catalog.skus()).doesNotHaveDuplicates().allMatch(s -> UploadKey.SKU.matcher(s).matches());
    }

    @Test
    void aHotSkuIsAValidShardedProductThatNoRestockTouches() {
        Catalog catalog = Catalog.generate("us-east-1", 20, 30, 42).withHotSku("DROP-AIR-44", 700, 16);

        Catalog.Product hot = catalog.products().getLast();
        assertThat(catalog.skus()).hasSize(21).contains("DROP-AIR-44");
        Parsed<Product> parsed = ProductParser.parse(hot.json(), hot.sku());
        assertThat(parsed).as(parsed.toString()).isInstanceOf(Parsed.Valid.class);
        Product product = ((Parsed.Valid<Product>) parsed).value();
        assertThat(product.stockShards()).isEqualTo(16);
        assertThat(product.stock()).isEqualTo(700);
        assertThat(product.price().currency()).isEqualTo("USD");
        List<Catalog.StockLine> drop = catalog.restocks().stream().flatMap(f -> f.lines().stream())
                .filter(l -> l.sku().equals("DROP-AIR-44")).toList();
        assertThat(drop).as("one second delivery, a quarter of the stock")
                .containsExactly(new Catalog.StockLine("DROP-AIR-44", 175, "restock"));
        assertThat(catalog.restocks()).hasSize(31);
        assertThat(catalog.restocks().get(15).lines()).containsExactly(drop.getFirst());
        for (Catalog.RestockFile file : catalog.restocks()) {
            assertThat(UploadKey.parse(file.key())).as(file.key()).isInstanceOf(UploadKey.StockFile.class);
        }
        assertThat(new String(catalog.products().getFirst().json(), java.nio.charset.StandardCharsets.UTF_8))
                .as("an ordinary product has one stock item").doesNotContain("stockShards");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.withHotSku("DROP-AIR-44", 1, 1))
                .hasMessageContaining("already has DROP-AIR-44");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.withHotSku("drop", 1, 1))
                .hasMessageContaining("a sku is 3-40");
    }

    @Test
    void restockFilesAreValidStockFilesOfCatalogSkus() {
        Catalog catalog = Catalog.generate("us-east-1", 30, 12, 7);
        Set<String> skus = Set.copyOf(catalog.skus());

        assertThat(catalog.restocks()).hasSize(12);
        assertThat(catalog.restocks().stream().map(Catalog.RestockFile::key)).doesNotHaveDuplicates();
        for (Catalog.RestockFile file : catalog.restocks()) {
            assertThat(UploadKey.parse(file.key())).isInstanceOf(UploadKey.StockFile.class);
            Parsed<List<StockAdjustment>> parsed = StockFileParser.parse(file.jsonl());
            assertThat(parsed).as(file.key() + ": " + parsed).isInstanceOf(Parsed.Valid.class);
            List<StockAdjustment> lines = ((Parsed.Valid<List<StockAdjustment>>) parsed).value();
            assertThat(lines).hasSize(file.lines().size());
            assertThat(lines).allMatch(l -> skus.contains(l.sku()) && l.delta() > 0);
        }
    }

    @Test
    void theSameSeedGivesTheSameCatalogAndImages() {
        Catalog a = Catalog.generate("eu-west-1", 25, 5, 99);
        Catalog b = Catalog.generate("eu-west-1", 25, 5, 99);
        Catalog other = Catalog.generate("eu-west-1", 25, 5, 100);

        assertThat(a.products()).isEqualTo(b.products());
        assertThat(a.restocks()).isEqualTo(b.restocks());
        assertThat(Catalog.image(a.products().get(3))).isEqualTo(Catalog.image(b.products().get(3)));
        assertThat(other.products()).isNotEqualTo(a.products());
    }

    @Test
    void regionsShareTheSkusButNotTheCurrencyWarehouseOrStock() {
        Catalog eu = Catalog.generate("eu-west-1", 40, 0, 5);
        Catalog us = Catalog.generate("us-east-1", 40, 0, 5);

        assertThat(us.skus()).isEqualTo(eu.skus());
        assertThat(eu.products()).allMatch(p -> p.currency().equals("EUR"));
        assertThat(us.products()).allMatch(p -> p.currency().equals("USD"));
        assertThat(eu.products().getFirst().warehouseId()).isNotEqualTo(us.products().getFirst().warehouseId());
        assertThat(eu.products().stream().map(Catalog.Product::stock).toList())
                .isNotEqualTo(us.products().stream().map(Catalog.Product::stock).toList());
    }

    @Test
    void imagesAreSmallJpegsThatDecodeAndDifferPerProduct() throws IOException {
        Catalog catalog = Catalog.generate("eu-west-1", 3, 0, 1);
        byte[] first = Catalog.image(catalog.products().get(0));
        byte[] second = Catalog.image(catalog.products().get(1));

        assertThat(first).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG SOI
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(first));
        assertThat(decoded.getWidth()).isEqualTo(Catalog.IMAGE_SIZE);
        assertThat(decoded.getHeight()).isEqualTo(Catalog.IMAGE_SIZE);
        assertThat(first.length).isBetween(1_000, 64 * 1024);
        assertThat(second).isNotEqualTo(first);
        UploadKey key = UploadKey.parse(catalog.products().getFirst().imageKey());
        assertThat(key).isInstanceOf(UploadKey.ProductImage.class);
    }

    @Test
    void stylesGroupSeveralVariants() {
        Catalog catalog = Catalog.generate("eu-west-1", 100, 0, 3);

        var byStyle = catalog.products().stream().collect(Collectors.groupingBy(Catalog.Product::styleId));
        assertThat(byStyle.size()).isLessThan(60);
        assertThat(byStyle.values()).allMatch(v -> v.stream().map(Catalog.Product::name).distinct().count() == v.size());
    }
}
