package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.executor.PermanentFailure;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Large images queue for the executor's heap instead of exhausting it. */
@Timeout(30)
class HeapBudgetTest {
  private static byte[] png(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_4BYTE_ABGR), "png", out);
    return out.toByteArray();
  }

  @Test
  void anImageLargerThanTheWholeBudgetFailsPermanentlySayingHowMuchItNeeds() throws Exception {
    byte[] image = png(1000, 1000); // 4 bytes a pixel decoded: 4 MB, reserved twice
    HeapBudget budget = new HeapBudget(5L << 20);

    assertThatThrownBy(() -> Inversion.invert(image, "big.png", 40_000_000L, budget))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("a 1000x1000 PNG needs about 8 MB of heap to invert, more than this"
            + " executor's 5 MB for images (give it a larger heap, e.g."
            + " --executor-jvm-option=-Xmx4g)");
    assertThat(budget.free()).isEqualTo(5L << 20);
  }

  @Test
  void aSecondImageWaitsUntilTheFirstReleasesItsShareAndEveryShareComesBack() throws Exception {
    HeapBudget budget = new HeapBudget(100);
    HeapBudget.Reservation first = budget.reserve(60, "first");
    CompletableFuture<HeapBudget.Reservation> second =
        CompletableFuture.supplyAsync(() -> {
          try {
            return budget.reserve(60, "second");
          } catch (InterruptedIOException e) {
            throw new IllegalStateException(e);
          }
        });
    Thread.sleep(200);
    assertThat(second).isNotDone();
    assertThat(budget.free()).isEqualTo(40);

    first.close();
    first.close(); // once only
    HeapBudget.Reservation granted = second.get(10, TimeUnit.SECONDS);
    assertThat(budget.free()).isEqualTo(40);
    granted.close();
    assertThat(budget.free()).isEqualTo(100);
  }

  @Test
  void aKilledTaskStopsWaitingWithAnInterruptedIoException() throws Exception {
    HeapBudget budget = new HeapBudget(100);
    HeapBudget.Reservation held = budget.reserve(100, "first");
    CompletableFuture<Throwable> waited = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        budget.reserve(1, "second").close();
        waited.complete(null);
      } catch (Throwable e) {
        waited.complete(e);
      }
    });
    waiter.start();
    Thread.sleep(100);
    waiter.interrupt();

    assertThat(waited.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
        .hasMessage("interrupted while waiting for 1 MB of heap for second");
    held.close();
    assertThat(budget.free()).isEqualTo(100);
  }

  @Test
  void inversionsReturnTheirShareWhetherTheySucceedOrFail() throws Exception {
    HeapBudget budget = new HeapBudget(64L << 20);
    Inversion.invert(png(300, 200), "ok.png", 40_000_000L, budget);
    assertThat(budget.free()).isEqualTo(64L << 20);
    byte[] truncated = java.util.Arrays.copyOf(png(300, 200), 200);
    assertThatThrownBy(() -> Inversion.invert(truncated, "bad.png", 40_000_000L, budget))
        .isInstanceOf(PermanentFailure.class);
    assertThat(budget.free()).isEqualTo(64L << 20);
  }
}
