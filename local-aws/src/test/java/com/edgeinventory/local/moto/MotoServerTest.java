package com.edgeinventory.local.moto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotoServerTest {

    @TempDir
    Path dir;

    private Path executable(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(MotoServer.EXECUTABLE);
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void findsItOnPathFirst() throws IOException {
        Path onPath = executable(dir.resolve("bin"));
        executable(dir.resolve("home/.pyenv/shims"));

        assertThat(MotoServer.findExecutable(dir.resolve("empty") + ":" + dir.resolve("bin"), dir.resolve("home")))
                .contains(onPath);
    }

    @Test
    void fallsBackToPyenvShims() throws IOException {
        Path shim = executable(dir.resolve("home/.pyenv/shims"));

        assertThat(MotoServer.findExecutable("/nonexistent", dir.resolve("home"))).contains(shim);
    }

    @Test
    void ignoresFilesThatAreNotExecutable() throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin").resolve(MotoServer.EXECUTABLE), "not executable");

        assertThat(MotoServer.findExecutable(dir.resolve("bin").toString(), dir.resolve("home"))).isEmpty();
        assertThat(MotoServer.INSTALL_HINT).contains("pip install \"moto[server]==5.2.1\"").contains("--endpoint");
    }
}
