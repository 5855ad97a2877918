package io.nextbest.tools.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A "later" answer is waited out and the same request sent again; at most so many times. */
class PatientSenderTest {
  @Test
  void waitsOutLaterAnswersThenGivesTheLastOne() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int n = calls.incrementAndGet();
          byte[] body = ("{\"call\":" + n + "}").getBytes(StandardCharsets.UTF_8);
          if (n <= 2) {
            exchange.getResponseHeaders().add("Retry-After", "0");
          }
          exchange.sendResponseHeaders(n == 1 ? 503 : n == 2 ? 429 : 202, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      PatientSender patient = new PatientSender(HttpClient.newHttpClient(), 5);
      var answer = patient.send(request).join();
      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(answer.body()).isEqualTo("{\"call\":3}");
      assertThat(patient.waits()).isEqualTo(2);

      calls.set(0);
      PatientSender impatient = new PatientSender(HttpClient.newHttpClient(), 1);
      assertThat(impatient.send(request).join().statusCode()).isEqualTo(429);
      assertThat(impatient.waits()).isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }
}
