package com.communitypulse.sentiment;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Binary logistic regression weights for the trained scorer, and their file format (big-endian,
 * see {@code sentiment/README.md}):
 *
 * <pre>
 * int   magic 0x43505346 ("CPSF")   int   version (2)
 * int   hashBits                    int   dense feature count (18)
 * float bias                        float neutral band
 * float n-gram scale
 * float[2^hashBits] hashed weights  float[dense] dense weights
 * long  CRC-32 of all bytes above
 * </pre>
 *
 * The n-gram scale shrinks the hashed part towards the lexicon part: the n-grams are fitted to
 * the dev sets' domains (food delivery, restaurants) and the scale is how far the scorer trusts
 * them on other text (chosen on held-out topics, see {@code sentiment/README.md}).
 * Immutable after construction; {@link #margin} only reads.
 */
final class LogisticModel {

    static final int MAGIC = 0x43505346;
    static final int VERSION = 2;
    private static final String RETRAIN = "retrain it with 'pulse sentiment train --data FILE --out MODEL'";

    final int hashBits;
    final float[] weights;
    final float[] dense;
    final float bias;
    final float neutralBand;
    final float ngramScale;

    LogisticModel(int hashBits, float[] weights, float[] dense, float bias, float neutralBand, float ngramScale) {
        this.hashBits = hashBits;
        this.weights = weights;
        this.dense = dense;
        this.bias = bias;
        this.neutralBand = neutralBand;
        this.ngramScale = ngramScale;
    }

    /** The hashed part of the log-odds: each of the n features gets 1/sqrt(n) so long texts do not dominate. */
    double ngramMargin(int[] feats, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += weights[feats[i]];
        }
        return n == 0 ? 0 : sum / Math.sqrt(n);
    }

    /** The lexicon part of the log-odds, bias included. */
    double denseMargin(float[] denseFeats) {
        double z = bias;
        for (int i = 0; i < dense.length; i++) {
            z += dense[i] * denseFeats[i];
        }
        return z;
    }

    /** Log-odds of "positive". */
    double margin(int[] feats, int n, float[] denseFeats) {
        return denseMargin(denseFeats) + ngramScale * ngramMargin(feats, n);
    }

    void write(Path out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(weights.length * 4 + 64);
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
        d.writeInt(hashBits);
        d.writeInt(dense.length);
        d.writeFloat(bias);
        d.writeFloat(neutralBand);
        d.writeFloat(ngramScale);
        for (float w : weights) {
            d.writeFloat(w);
        }
        for (float w : dense) {
            d.writeFloat(w);
        }
        d.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        d.writeLong(crc.getValue());
        d.flush();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            bytes.writeTo(o);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** @throws IllegalArgumentException one line naming the fix, for a missing or corrupt file */
    static LogisticModel read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("sentiment model " + file
                    + " does not exist; check the path or train one with 'pulse sentiment train --data FILE --out MODEL'");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sentiment model " + file + " (" + e.getMessage() + "); check the path and permissions");
        }
        return parse(b, file.toString());
    }

    /**
     * @param name the file or resource, for messages
     * @throws IllegalArgumentException one line naming the fix, for corrupt bytes
     */
    static LogisticModel parse(byte[] b, String name) {
        Object file = name;
        if (b.length < 32) {
            throw corrupt(file, "too short");
        }
        try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(b))) {
            if (d.readInt() != MAGIC) {
                throw corrupt(file, "not a community-pulse sentiment model");
            }
            int version = d.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("sentiment model " + file + " has format version " + version
                        + " but this build reads version " + VERSION + "; " + RETRAIN);
            }
            int bits = d.readInt();
            int nDense = d.readInt();
            if (bits < 10 || bits > 24 || nDense != FeatureHasher.DENSE) {
                throw corrupt(file, "unexpected header");
            }
            long expected = 28L + 4L * ((1L << bits) + nDense) + 8;
            if (b.length != expected) {
                throw corrupt(file, "truncated or padded (" + b.length + " bytes, expected " + expected + ")");
            }
            CRC32 crc = new CRC32();
            crc.update(b, 0, b.length - 8);
            long stored = java.nio.ByteBuffer.wrap(b, b.length - 8, 8).getLong();
            if (stored != crc.getValue()) {
                throw corrupt(file, "checksum mismatch");
            }
            float bias = d.readFloat();
            float band = d.readFloat();
            float scale = d.readFloat();
            float[] w = new float[1 << bits];
            for (int i = 0; i < w.length; i++) {
                w[i] = d.readFloat();
            }
            float[] dense = new float[nDense];
            for (int i = 0; i < nDense; i++) {
                dense[i] = d.readFloat();
            }
            return new LogisticModel(bits, w, dense, bias, band, scale);
        } catch (IOException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    private static IllegalArgumentException corrupt(Object file, String why) {
        return new IllegalArgumentException("sentiment model " + file + " is corrupt (" + why + "); " + RETRAIN);
    }
}
