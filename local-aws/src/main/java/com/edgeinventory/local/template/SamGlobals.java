package com.edgeinventory.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAM's Globals merge (samtranslator {@code globals.py}): maps merge key by key recursively, lists are
 * concatenated (globals first), and anything else - including a single-key intrinsic such as
 * {@code {"Ref": ...}} - is a primitive the resource's own value replaces.
 */
final class SamGlobals {

    private SamGlobals() {
    }

    static Map<String, Object> merge(Map<String, Object> globals, Map<String, Object> local) {
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = (Map<String, Object>) mergeValue(globals, local);
        return merged;
    }

    private static Object mergeValue(Object global, Object local) {
        if (isPlainMap(global) && isPlainMap(local)) {
            Map<String, Object> result = new LinkedHashMap<>();
            ((Map<?, ?>) global).forEach((k, v) -> result.put(String.valueOf(k), Yamls.mutableCopy(v)));
            ((Map<?, ?>) local).forEach((k, v) -> {
                String key = String.valueOf(k);
                result.put(key, result.containsKey(key) ? mergeValue(result.get(key), v) : Yamls.mutableCopy(v));
            });
            return result;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> result = new ArrayList<>();
            g.forEach(v -> result.add(Yamls.mutableCopy(v)));
            l.forEach(v -> result.add(Yamls.mutableCopy(v)));
            return result;
        }
        return Yamls.mutableCopy(local);
    }

    private static boolean isPlainMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return false;
        }
        if (map.size() == 1) {
            String key = String.valueOf(map.keySet().iterator().next());
            return !(key.equals("Ref") || key.startsWith("Fn::"));
        }
        return true;
    }
}
