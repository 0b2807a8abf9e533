package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.check.HttpResponseReader.MalformedResponseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The response reader on bytes fed by hand, for the edge cases of framing a real server rarely
 * produces on demand; the probers' tests run it against real servers.
 */
class HttpResponseReaderTest {

  @Test
  void headerSplitAcrossReadsEvenInsideTheBlankLine() throws Exception {
    HttpResponseReader reader = new HttpResponseReader(true);

    feed(reader, "HTTP/1.1 204 No Content\r\nContent-Length: 3\r");
    assertThat(reader.head()).isEmpty();
    feed(reader, "\n\r");
    assertThat(reader.head()).isEmpty();
    feed(reader, "\nabc");

    assertThat(reader.head()).contains(new HttpResponseReader.Head(204, OptionalLong.of(3)));
    assertThat(reader.bodyComplete()).isTrue();
    assertThat(reader.bodyDigestHex()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
  }

  @Test
  void contentLengthIsFoundWhateverItsCase() throws Exception {
    HttpResponseReader reader = new HttpResponseReader(false);

    feed(reader, "HTTP/1.1 200 OK\r\ncontent-length:  2 \r\n\r\nok");

    assertThat(reader.head().orElseThrow().contentLength()).hasValue(2);
    assertThat(reader.bodyComplete()).isTrue();
  }

  @Test
  void transferEncodingOverridesContentLength() throws Exception {
    HttpResponseReader reader = new HttpResponseReader(false);

    feed(
        reader,
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok");

    assertThat(reader.head().orElseThrow().contentLength()).isEmpty();
    assertThat(reader.bodyComplete()).isFalse();
    assertThat(reader.bodyBytes()).isEqualTo(5);
  }

  @Test
  void zeroContentLengthCompletesWithTheHeader() throws Exception {
    HttpResponseReader reader = new HttpResponseReader(false);

    feed(reader, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");

    assertThat(reader.bodyComplete()).isTrue();
  }

  @Test
  void statusWithoutReasonPhraseIsRead() throws Exception {
    HttpResponseReader reader = new HttpResponseReader(false);

    feed(reader, "HTTP/1.1 503\r\n\r\n");

    assertThat(reader.head().orElseThrow().status()).isEqualTo(503);
  }

  @Test
  void statusThatIsNoThreeDigitCodeIsMalformed() {
    HttpResponseReader reader = new HttpResponseReader(false);

    assertThatThrownBy(() -> feed(reader, "HTTP/1.1 OK 200\r\n\r\n"))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessage("malformed HTTP status line \"HTTP/1.1 OK 200\"");
  }

  @Test
  void headerWithoutEndIsCutAtTheCap() {
    HttpResponseReader reader = new HttpResponseReader(false);
    String endless = "HTTP/1.1 200 OK\r\n" + "X-Filler: yes\r\n".repeat(1000);

    assertThatThrownBy(() -> feed(reader, endless))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessage("HTTP header longer than 8192 bytes");
  }

  private static void feed(HttpResponseReader reader, String text)
      throws MalformedResponseException {
    ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    try {
      reader.feed(buf);
      assertThat(buf.isReadable()).as("feed consumes everything").isFalse();
    } finally {
      buf.release();
    }
  }
}
