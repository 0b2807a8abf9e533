package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streamed MD5 against RFC 1321's test suite, fed in pieces and from every kind of buffer. */
class Md5BodyDigestTest {

  @Test
  void emptyBodyHasRfc1321sDigestOfTheEmptyString() {
    assertThat(new Md5BodyDigest().finishHex()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
  }

  @Test
  void heapDirectAndCompositeBuffersInPiecesGiveTheWholeDigest() {
    // RFC 1321 appendix A.5: MD5("message digest")
    byte[] text = "message digest".getBytes(StandardCharsets.US_ASCII);
    ByteBuf heap = Unpooled.wrappedBuffer(text, 0, 4);
    ByteBuf direct = Unpooled.directBuffer().writeBytes(text, 4, 5);
    CompositeByteBuf composite =
        Unpooled.compositeBuffer()
            .addComponent(true, Unpooled.wrappedBuffer(text, 9, 2))
            .addComponent(true, Unpooled.directBuffer().writeBytes(text, 11, 3));

    Md5BodyDigest digest = new Md5BodyDigest();
    for (ByteBuf piece : new ByteBuf[] {heap, direct, composite}) {
      digest.update(piece, piece.readableBytes());
      piece.release();
    }

    assertThat(digest.finishHex()).isEqualTo("f96b697d7cb7938d525a2f31aaf161d0");
  }

  @Test
  void updateReadsOnlyTheGivenLengthFromTheReaderIndex() {
    ByteBuf buf = Unpooled.copiedBuffer("xxabcyy", StandardCharsets.US_ASCII);
    buf.skipBytes(2);
    Md5BodyDigest digest = new Md5BodyDigest();

    digest.update(buf, 3);

    // RFC 1321 appendix A.5: MD5("abc")
    assertThat(digest.finishHex()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(buf.readerIndex()).isEqualTo(2);
    buf.release();
  }

  @Test
  void hexDigestIsThirtyTwoHexDigitsInEitherCase() {
    assertThat(Md5BodyDigest.isHexDigest("900150983cd24fb0d6963f7d28e17f72")).isTrue();
    assertThat(Md5BodyDigest.isHexDigest("900150983CD24FB0D6963F7D28E17F72")).isTrue();
    assertThat(Md5BodyDigest.isHexDigest("900150983cd24fb0d6963f7d28e17f7")).isFalse();
    assertThat(Md5BodyDigest.isHexDigest("900150983cd24fb0d6963f7d28e17f7g")).isFalse();
  }
}
