package dev.strata.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of a PUT the AWS SDK signs chunk by chunk ({@code aws-chunked}), decoded for
 * {@link TrainingS3Responder}: chunks of {@code HEX-SIZE;chunk-signature=...\r\nDATA\r\n}, ending with
 * one of size 0 (and perhaps trailers). Signatures are not checked; the framing and the decoded length
 * are. Stateless.
 */
final class AwsChunkedBody {
    private AwsChunkedBody() {
    }

    /**
     * The data of {@code sent}, which must come to {@code decodedLength} bytes.
     *
     * @throws IllegalArgumentException if the framing is cut or wrong, or the data has another length
     */
    static byte[] decode(byte[] sent, String decodedLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sent.length);
        int at = 0;
        while (true) {
            int eol = indexOfCrLf(sent, at);
            if (eol < 0) {
                throw new IllegalArgumentException("an aws-chunked body ends inside a chunk header");
            }
            String header = new String(sent, at, eol - at, StandardCharsets.US_ASCII);
            int semicolon = header.indexOf(';');
            int size;
            try {
                size = Integer.parseInt(semicolon < 0 ? header : header.substring(0, semicolon), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad aws-chunked chunk header " + header, e);
            }
            at = eol + 2;
            if (size == 0) {
                break;
            }
            if (size < 0 || size > sent.length - at - 2 || sent[at + size] != '\r' || sent[at + size + 1] != '\n') {
                throw new IllegalArgumentException("an aws-chunked chunk of " + size + " bytes is cut or unterminated");
            }
            out.write(sent, at, size);
            at += size + 2;
        }
        byte[] data = out.toByteArray();
        if (decodedLength == null || !decodedLength.equals(Integer.toString(data.length))) {
            throw new IllegalArgumentException("an aws-chunked body of " + data.length + " bytes, announced as "
                    + decodedLength);
        }
        return data;
    }

    private static int indexOfCrLf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
