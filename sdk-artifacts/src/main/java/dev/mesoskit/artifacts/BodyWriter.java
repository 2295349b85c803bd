package dev.mesoskit.artifacts;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Writes a byte range of an opened artifact to a response, chunk by chunk, without blocking a
 * thread on the network. Files are memory-mapped and handed to the socket chunk by chunk as they
 * are ({@link MappedFiles}), so their bytes go from the page cache to the socket with no copy
 * through the heap; other channels are read into pooled direct buffers.
 */
final class BodyWriter extends IteratingCallback {
  static final int MAPPED_CHUNK_BYTES = 16 * 1024 * 1024;
  static final int COPIED_CHUNK_BYTES = 128 * 1024;

  private final Response response;
  private final ArtifactContent content;
  private final ByteBufferPool pool;
  private final MappedFiles mappedFiles;
  private final Counters counters;
  private final Callback done;
  private final long end;
  private long position;
  private int inFlight;
  private RetainableByteBuffer pooled;

  BodyWriter(Response response, ArtifactContent content, long first, long length,
      ByteBufferPool pool, MappedFiles mappedFiles, Counters counters, Callback done) {
    this.response = response;
    this.content = content;
    this.pool = pool;
    this.mappedFiles = mappedFiles;
    this.counters = counters;
    this.done = done;
    this.position = first;
    this.end = first + length;
  }

  @Override
  protected Action process() throws IOException {
    release();
    if (position >= end) {
      return Action.SUCCEEDED;
    }
    long remaining = end - position;
    SeekableByteChannel channel = content.channel();
    ByteBuffer chunk;
    if (channel instanceof FileChannel file) {
      chunk = mappedFiles.slice(file, content.artifact(), position,
          (int) Math.min(remaining, MAPPED_CHUNK_BYTES));
    } else {
      pooled = pool.acquire(COPIED_CHUNK_BYTES, true);
      chunk = pooled.getByteBuffer();
      BufferUtil.clearToFill(chunk);
      chunk.limit((int) Math.min(chunk.capacity(), remaining));
      channel.position(position);
      while (chunk.hasRemaining()) {
        if (channel.read(chunk) < 0) {
          throw new EOFException("artifact ended before its size: name="
              + content.artifact().name() + " size=" + content.artifact().size());
        }
      }
      BufferUtil.flipToFlush(chunk, 0);
    }
    inFlight = chunk.remaining();
    position += inFlight;
    response.write(position >= end, chunk, this);
    return Action.SCHEDULED;
  }

  @Override
  protected void onSuccess() {
    counters.bytesServed.add(inFlight);
    inFlight = 0;
  }

  private void release() {
    if (pooled != null) {
      pooled.release();
      pooled = null;
    }
  }

  @Override
  protected void onCompleteSuccess() {
    release();
    content.close();
    done.succeeded();
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    release();
    try {
      content.close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    done.failed(cause);
  }
}
