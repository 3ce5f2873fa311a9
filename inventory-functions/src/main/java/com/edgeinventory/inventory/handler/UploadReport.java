package com.edgeinventory.inventory.handler;

import com.edgeinventory.inventory.service.Outcome;
import java.util.List;

/** What a handler did with each record of an S3 event; the function's response. */
public record UploadReport(List<Result> results) {

    public UploadReport {
        results = List.copyOf(results);
    }

    /** @param outcome APPLIED, REJECTED or IGNORED */
    public record Result(String key, String outcome, String detail) {

        static Result of(Outcome outcome) {
            return switch (outcome) {
                case Outcome.Applied(String key, String detail) -> new Result(key, "APPLIED", detail);
                case Outcome.Rejected(String key, String code, var errors) ->
                        new Result(key, "REJECTED", code + ": " + errors);
                case Outcome.Ignored(String key, String reason) -> new Result(key, "IGNORED", reason);
            };
        }
    }
}
