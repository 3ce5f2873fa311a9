package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.model.central.LevelChange;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LevelMergeTest {

    static final String SKU = "TR-RUN-42-BLU";

    @Test
    void firstChangeIsWrittenWhenNoItemExistsAndMovesTheTotalsByItsLevels() {
        LevelChange change = new LevelChange(SKU, 10, 2, 3, 1, 1000, false);

        LevelMerge.Outcome outcome = LevelMerge.merge(Optional.empty(), change);

        assertThat(outcome).isEqualTo(new LevelMerge.Write(RegionalLevel.of(change), OptionalLong.empty(),
                new Levels(10, 2, 3)));
    }

    @Test
    void newerVersionIsWrittenAgainstTheStoredVersionAndMovesTheTotalsByTheDifference() {
        RegionalLevel stored = new RegionalLevel(10, 2, 3, 4, 1000, false);
        LevelChange change = new LevelChange(SKU, 7, 1, 6, 5, 2000, false);

        LevelMerge.Outcome outcome = LevelMerge.merge(Optional.of(stored), change);

        assertThat(outcome).isEqualTo(new LevelMerge.Write(RegionalLevel.of(change), OptionalLong.of(4),
                new Levels(-3, -1, 3)));
    }

    @Test
    void sameOrOlderVersionIsStale() {
        RegionalLevel stored = new RegionalLevel(10, 2, 3, 4, 1000, false);

        assertThat(LevelMerge.merge(Optional.of(stored), new LevelChange(SKU, 1, 1, 1, 4, 900, false)))
                .isEqualTo(new LevelMerge.Stale(4));
        assertThat(LevelMerge.merge(Optional.of(stored), new LevelChange(SKU, 1, 1, 1, 2, 900, false)))
                .isEqualTo(new LevelMerge.Stale(4));
    }

    @Test
    void deletionTakesTheRegionOutOfTheTotalsAndARevivalPutsItBack() {
        RegionalLevel stored = new RegionalLevel(10, 2, 3, 4, 1000, false);
        LevelChange tombstone = new LevelChange(SKU, 10, 2, 3, 5, 2000, true);

        LevelMerge.Write deleted = (LevelMerge.Write) LevelMerge.merge(Optional.of(stored), tombstone);
        LevelMerge.Write revived = (LevelMerge.Write) LevelMerge.merge(Optional.of(deleted.next()),
                new LevelChange(SKU, 4, 0, 0, 6, 3000, false));

        assertThat(deleted.totalsDelta()).isEqualTo(new Levels(-10, -2, -3));
        assertThat(revived.totalsDelta()).isEqualTo(new Levels(4, 0, 0));
    }
}
