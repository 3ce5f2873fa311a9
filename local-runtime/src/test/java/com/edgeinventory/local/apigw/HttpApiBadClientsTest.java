package com.edgeinventory.local.apigw;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.edgeinventory.local.apigw.HttpApiRoutes.Auth;
import com.edgeinventory.local.apigw.HttpApiRoutes.Route;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;

/**
 * The local HTTP API under bad clients, each tried as a user would, on raw sockets: it answers as a gateway does
 * and never lets one client hold up another. The table of bad inputs is {@link #badRequests()}; in every case a
 * valid request on another connection is answered meanwhile.
 */
class HttpApiBadClientsTest {

    private static final int READ_TIMEOUT_MS = 5_000;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> invoked = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new ArrayList<>();
    private HttpApiServer server;
    private volatile String response = "{\"statusCode\":200,\"body\":\"ok\"}";

    private static FunctionDef function(String id) {
        return new FunctionDef(id, "edge-" + id, "a.B::handle", "java25", java.nio.file.Path.of("x.jar"), 512, 10,
                java.util.Map.of(), List.of(), java.util.Map.of(), "/aws/lambda/edge-" + id,
                FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:edge-" + id);
    }

    @BeforeEach
    void start() {
        Auth none = new Auth.None();
        HttpApiRoutes routes = new HttpApiRoutes("TestApi", none, List.of(
                new Route("ANY", "/echo", function("EchoFunction"), "EchoFunction", none)));
        server = HttpApiServer.start(routes, (f, event) -> {
            invoked.add(f.logicalId());
            return new InvokeResult("req", new InvokeOutcome.Success(response),
                    java.time.Duration.ofMillis(1));
        }, HttpApiServer.Options.of(0, "a1b2c3d4e5", "eu-west-1", "123456789012"), log::add);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : held) {
            s.close();
        }
        server.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** Sends raw bytes and reads what comes back until the server closes or goes quiet; the status, or -1. */
    private int exchange(byte[] request) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it read everything (e.g. a body over the limit)
            }
            String head = readHead(socket.getInputStream());
            return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            return "timed out after " + READ_TIMEOUT_MS + " ms: " + head.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "connection reset: " + head.toString(StandardCharsets.ISO_8859_1);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A valid request on its own connection: answered 200 within the read timeout. */
    private void aValidRequestIsServed() throws IOException {
        assertThat(exchange(("GET /echo HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).as("a valid request meanwhile").isEqualTo(200);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> badRequests() {
        StringBuilder manyHeaders = new StringBuilder("GET /echo HTTP/1.1\r\nHost: api\r\n");
        for (int i = 0; i < 250; i++) {
            manyHeaders.append("X-Header-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        manyHeaders.append("\r\n");
        byte[] sevenMiB = new byte[7 * 1024 * 1024];
        java.util.Arrays.fill(sevenMiB, (byte) 'a');
        ByteArrayOutputStream bigBody = new ByteArrayOutputStream();
        bigBody.writeBytes(ascii("POST /echo HTTP/1.1\r\nHost: api\r\nContent-Type: text/plain\r\nContent-Length: "
                + sevenMiB.length + "\r\n\r\n"));
        bigBody.writeBytes(sevenMiB);
        // A TLS 1.2 ClientHello's first bytes: record type 22 (handshake), version 3.1, then the hello.
        byte[] tlsHello = HexFormat.of().parseHex("160301020001" + "0001fc0303" + "00".repeat(32) + "000200ff0100");
        return Stream.of(
                Arguments.of("250 headers, 12 KB of head", ascii(manyHeaders.toString()), 431),
                Arguments.of("one header of 390 KB", ascii("GET /echo HTTP/1.1\r\nHost: api\r\nX-Big: "
                        + "x".repeat(390 * 1024) + "\r\n\r\n"), 431),
                Arguments.of("chunked body with an invalid chunk size", ascii("POST /echo HTTP/1.1\r\nHost: api\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"), 400),
                Arguments.of("a TLS ClientHello on the plain-HTTP port", tlsHello, 400),
                Arguments.of("a request line that is not HTTP", ascii("HELLO\r\n\r\n"), 400),
                Arguments.of("a header without a colon", ascii("GET /echo HTTP/1.1\r\nHost: api\r\nBroken\r\n\r\n"),
                        400),
                Arguments.of("a body of 7 MiB (Lambda's payload limit is 6 MB)", bigBody.toByteArray(), 413));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRequests")
    void aBadRequestGetsTheGatewaysAnswerAndNobodyElseWaits(String what, byte[] request, int expected)
            throws IOException {
        assertThat(exchange(request)).as(what).isEqualTo(expected);
        assertThat(invoked).as("the function never runs for %s", what).isEmpty();
        aValidRequestIsServed();
        assertThat(invoked).containsExactly("EchoFunction");
    }

    @Test
    void clientsHoldingUnfinishedRequestHeadsDelayNobody() throws IOException {
        for (int i = 0; i < 32; i++) {
            Socket slow = connect();
            slow.getOutputStream().write(ascii("GET /echo HTTP/1.1\r\nHost: api\r\nX-Slow: "));
            slow.getOutputStream().flush();
            held.add(slow);
        }
        for (int i = 0; i < 3; i++) {
            aValidRequestIsServed();
        }
        assertThat(invoked).hasSize(3);
    }

    @Test
    void aBodyOfSixMegabytesOrLessIsInvokedAndAnEventOverSixIsRefused() throws IOException {
        byte[] justUnder = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(justUnder, (byte) 'a');
        ByteArrayOutputStream ok = new ByteArrayOutputStream();
        ok.writeBytes(ascii("POST /echo HTTP/1.1\r\nHost: api\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                + "Content-Length: " + justUnder.length + "\r\n\r\n"));
        ok.writeBytes(justUnder);
        assertThat(exchange(ok.toByteArray())).isEqualTo(200);
        // Binary bodies are base64 in the event: 5 MiB of octets become ~6.7 MB of event.
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        binary.writeBytes(ascii("POST /echo HTTP/1.1\r\nHost: api\r\nContent-Type: application/octet-stream\r\n"
                + "Connection: close\r\nContent-Length: " + justUnder.length + "\r\n\r\n"));
        binary.writeBytes(justUnder);
        assertThat(exchange(binary.toByteArray())).isEqualTo(413);
        assertThat(invoked).containsExactly("EchoFunction");
    }

    @Test
    void aFunctionResponseOverSixMegabytesIs502() throws IOException {
        response = "{\"statusCode\":200,\"body\":\"" + "a".repeat(6 * 1024 * 1024 + 1) + "\"}";

        assertThat(exchange(ascii("GET /echo HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n"))).isEqualTo(502);
        response = "{\"statusCode\":200,\"body\":\"ok\"}";
        aValidRequestIsServed();
    }
}
