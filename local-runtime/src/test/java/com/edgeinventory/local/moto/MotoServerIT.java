package com.edgeinventory.local.moto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.aws.AwsClients;

class MotoServerIT {

    @Test
    void startsResetsAndStops() throws Exception {
        MotoServer moto = MotoServer.start();
        URI endpoint = moto.endpoint();
        try (AwsClients clients = new AwsClients(endpoint, "eu-west-1")) {
            clients.sqs().createQueue(b -> b.queueName("before-reset"));
            assertThat(clients.sqs().listQueues().queueUrls()).hasSize(1);

            moto.reset();

            assertThat(clients.sqs().listQueues().queueUrls()).isEmpty();
        } finally {
            moto.close();
        }

        assertThat(moto.isRunning()).isFalse();
        assertThat(moto.logFile()).exists();
        try (HttpClient http = HttpClient.newHttpClient()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
                    endpoint.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
