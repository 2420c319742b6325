package org.lazyseg.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Prepares augmented batches on background threads while the network computes.
 *
 * <p>Reproducible despite the threads: batch k is drawn from its own random generator,
 * seeded from (seed, k), by worker k mod W, and handed out strictly in order k = 0, 1, ...
 * (each worker has its own small bounded queue). So the batches do not depend on timing or
 * on the number of workers. Examples are chosen uniformly at random, like
 * torch_train_reference.py, except that a {@code strongShare} of each batch (rounded) may be
 * drawn from the examples that have a head-0 target: with 8 strong masks among 85 images a
 * uniform draw gives the segmentation head under one crop per batch.
 */
public final class BatchProducer implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 2;

  private final List<Example> examples;
  private final Augmenter augmenter;
  private final int batchSize;
  private final int channels;
  private final int tasks;
  private final long seed;
  private final int imageLabelCount;
  private final List<Example> strong;
  private final int strongSlots;
  private final List<BlockingQueue<Batch>> queues = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  private volatile Throwable failure;
  private long next;

  /**
   * Starts {@code workerCount} threads. {@code examples} must not change until
   * {@link #close()}.
   */
  public BatchProducer(List<Example> examples, Augmenter augmenter, int batchSize, int tasks,
      long seed, int workerCount) {
    this(examples, augmenter, batchSize, tasks, seed, workerCount, 0);
  }

  /**
   * As above; the first {@link #strongSlots} crops of each batch come from the examples with
   * a complete head-0 target (a strong mask: no pixel
   * {@link org.lazyseg.core.image.LabelImage#IGNORE}; a target a partial mask implies has
   * unlabelled pixels), uniformly among them, the others from all examples.
   *
   * @param strongShare share of each batch from the strong examples, or NaN ("auto")
   */
  public BatchProducer(List<Example> examples, Augmenter augmenter, int batchSize, int tasks,
      long seed, int workerCount, double strongShare) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    this.examples = List.copyOf(examples);
    this.augmenter = augmenter;
    this.batchSize = batchSize;
    this.channels = examples.get(0).image().channels();
    this.tasks = tasks;
    this.seed = seed;
    int labels = 0;
    for (Example e : examples) {
      labels = Math.max(labels, e.imageLabels() == null ? 0 : e.imageLabels().length);
    }
    this.imageLabelCount = labels;
    this.strong = this.examples.stream().filter(BatchProducer::hasCompleteHeadZeroTarget)
        .toList();
    this.strongSlots = strongSlots(strongShare, strong.size(), this.examples.size(), batchSize);
    for (int i = 0; i < workerCount; i++) {
      BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
      queues.add(queue);
      int worker = i;
      Thread thread = new Thread(() -> produce(worker, workerCount, queue), "batch-producer-" + i);
      thread.setDaemon(true);
      workers.add(thread);
      thread.start();
    }
  }

  /**
   * Crops of each batch drawn from the {@code strong} examples among {@code total}:
   * {@code round(share * batch)}; for a NaN share ("auto") one crop where uniform draws would
   * leave more than half of the batches without a strong crop, else none. Without strong
   * examples, or with all examples strong, none.
   */
  public static int strongSlots(double share, int strong, int total, int batch) {
    if (strong == 0 || strong == total) {
      return 0;
    }
    if (Double.isNaN(share)) {
      return withoutStrongCrop(strong, total, batch) > 0.5 ? 1 : 0;
    }
    return (int) Math.round(share * batch);
  }

  /** The share of uniformly drawn batches that hold no crop of the strong examples. */
  public static double withoutStrongCrop(int strong, int total, int batch) {
    return Math.pow(1 - (double) strong / total, batch);
  }

  /** The number of examples with a complete head-0 target (see the constructor). */
  public static int strongCount(List<Example> examples) {
    return (int) examples.stream().filter(BatchProducer::hasCompleteHeadZeroTarget).count();
  }

  /** A head-0 target that labels every pixel (a strong mask). */
  private static boolean hasCompleteHeadZeroTarget(Example e) {
    if (e.targets().length == 0 || e.targets()[0] == null) {
      return false;
    }
    for (int v : e.targets()[0].data()) {
      if (v == org.lazyseg.core.image.LabelImage.IGNORE) {
        return false;
      }
    }
    return true;
  }

  private void produce(int worker, int workerCount, BlockingQueue<Batch> queue) {
    try {
      for (long k = worker; !Thread.currentThread().isInterrupted(); k += workerCount) {
        queue.put(make(k));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | OutOfMemoryError e) {
      // Handed to the training thread (next()): a worker that died on its own would leave it
      // waiting for a batch forever, and print a stack trace instead of the one-line message.
      failure = e;
    }
  }

  /** Batch number k, the same every time for the same seed. */
  public Batch make(long k) {
    Random rng = new Random(mix(seed, k));
    int crop = augmenter.size();
    int plane = crop * crop;
    float[] images = new float[batchSize * channels * plane];
    int[][] targets = new int[tasks][batchSize * plane];
    float[] imageLabels = imageLabelCount == 0 ? null : new float[batchSize * imageLabelCount];
    int[][] whole = new int[batchSize][];
    for (int i = 0; i < batchSize; i++) {
      List<Example> from = i < strongSlots ? strong : examples;
      Example e = from.get(rng.nextInt(from.size()));
      whole[i] = augmenter.sample(e, rng, images, i * channels * plane, targets, i * plane);
      if (imageLabels != null) {
        float[] own = e.imageLabels();
        for (int j = 0; j < imageLabelCount; j++) {
          imageLabels[i * imageLabelCount + j] =
              own != null && j < own.length ? own[j] : Float.NaN;
        }
      }
    }
    return new Batch(batchSize, channels, crop, images, targets, imageLabels, whole);
  }

  /** The next batch in order; blocks until it is ready. */
  public Batch next() {
    BlockingQueue<Batch> queue = queues.get((int) (next++ % queues.size()));
    try {
      while (true) {
        Batch b = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
        if (failure != null) {
          throw new IllegalStateException("batch preparation failed", failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    }
  }

  /** SplitMix64 finaliser over (seed, k): well-spread seeds for neighbouring k. */
  static long mix(long seed, long k) {
    long z = seed * 0x9E3779B97F4A7C15L + k + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void close() {
    for (Thread t : workers) {
      t.interrupt();
    }
    for (Thread t : workers) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
