package com.edgeinventory.local.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles handler sources for tests, into a directory or a jar. */
public final class HandlerBuilder {

    private HandlerBuilder() {
    }

    /**
     * Compiles {@code sources} (class name to source) against this test JVM's classpath into {@code classes}.
     */
    public static Path compile(Map<String, String> sources, Path classes) throws IOException {
        Path src = Files.createTempDirectory("handler-src");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "-proc:none", "-nowarn"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        Files.createDirectories(classes);
        int status = compiler.run(null, null, null, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("Handler sources do not compile: " + errors);
        }
        return classes;
    }

    /** Compiles and jars the sources. */
    public static Path jar(Map<String, String> sources, Path jar) throws IOException {
        return jar(sources, jar, List.of());
    }

    /**
     * Compiles and jars the sources together with the classes of the {@code bundled} libraries (jars on this JVM's
     * classpath), as a shaded function jar carries its dependencies.
     */
    public static Path jar(Map<String, String> sources, Path jar, List<Path> bundled) throws IOException {
        Path classes = compile(sources, Files.createTempDirectory("handler-classes"));
        for (Path library : bundled) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(library.toFile())) {
                for (var entry : java.util.Collections.list(zip.entries())) {
                    if (entry.isDirectory() || !entry.getName().endsWith(".class")
                            || entry.getName().contains("module-info")) {
                        continue;
                    }
                    Path target = classes.resolve(entry.getName());
                    Files.createDirectories(target.getParent());
                    try (var in = zip.getInputStream(entry)) {
                        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, (OutputStream) out);
                    out.closeEntry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return jar;
    }
}
