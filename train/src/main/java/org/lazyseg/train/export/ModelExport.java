package org.lazyseg.train.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lazyseg.core.image.Channels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.ops.Resize;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.Task;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.predict.Predictor;

/**
 * Writes a trained model as a folder that runs without LazySeg, laid out as a bioimage.io
 * model: {@code model.pt} (TorchScript, fp32), {@code rdf.yaml} (what goes in and out, and the
 * input normalisation as a preprocessing step), {@code test_input.npy} and
 * {@code test_output.npy} (a crop of a sample image and LazySeg's own probabilities for it),
 * {@code cover.png} (the crop beside its foreground probability) and {@code README.md}. Before
 * the folder is published the exported module is loaded back and run on the test input; its
 * output must match LazySeg's probabilities (largest difference at most {@link #TOLERANCE}).
 */
public final class ModelExport {
  /** The largest difference of a probability allowed between the export and LazySeg. */
  public static final double TOLERANCE = 1e-3;
  /** The test crop's largest side. */
  static final int TEST_SIDE = 256;

  public static final String TORCHSCRIPT = "model.pt";
  public static final String RDF = "rdf.yaml";
  public static final String TEST_INPUT = "test_input.npy";
  public static final String TEST_OUTPUT = "test_output.npy";

  /** What the export wrote and how closely the exported module reproduced LazySeg. */
  public record Exported(Path folder, int side, List<String> outputChannels,
      double largestDifference) {}

  /**
   * Free-text facts for rdf.yaml; {@code license} may be null (then it is left out).
   * {@code workingScale} is the factor images are shrunk by before the network sees them
   * (1: full resolution); the test input is the sample shrunk by it.
   */
  public record Description(String name, String author, String license, String method,
      List<String> classNames, double workingScale) {}

  private ModelExport() {}

  /** The sample image cannot give a test input (too small, or channels the model cannot take). */
  public static final class SampleException extends IllegalArgumentException {
    SampleException(String message) {
      super(message);
    }
  }

  /**
   * Exports checkpoint {@code checkpoint} of {@code runDir} into {@code folder}, which must
   * not exist yet (it appears complete or not at all). {@code sample} gives the test crop.
   */
  public static Exported write(Path runDir, String checkpoint, FloatImage sample,
      Description description, Path folder) throws IOException {
    if (Files.exists(folder)) {
      throw new IOException(folder + " exists; export into a new folder");
    }
    Path parent = folder.toAbsolutePath().normalize().getParent();
    Files.createDirectories(parent);
    Path tmp = RunFolder.unusedName(parent, folder.getFileName() + ".partial");
    Files.createDirectories(tmp);
    try (Predictor predictor = Predictor.open(runDir, checkpoint, Precision.FP32)) {
      ModelSpec spec = predictor.spec();
      FloatImage crop;
      try {
        crop = testCrop(Channels.adapt(Resize.scaled(sample, description.workingScale()),
            spec.channels()), spec.sizeMultiple());
      } catch (IllegalArgumentException e) {
        throw new SampleException(e.getMessage());
      }
      int side = crop.width();
      int[] heads = new int[spec.tasks().size()];
      for (int h = 0; h < heads.length; h++) {
        heads[h] = h;
      }
      // One tile exactly the crop's size: the probabilities are the network's on the crop as it
      // is, which is what the exported module computes (no mirrored border, no tile weights).
      float[][][] probabilities = predictor.setTileSize(side).probabilities(crop, heads);
      Npy.Array expected = stack(probabilities, side);

      ByteArrayOutputStream module = new ByteArrayOutputStream();
      predictor.writeTorchScript(module);
      Files.write(tmp.resolve(TORCHSCRIPT), module.toByteArray());
      Files.write(tmp.resolve(TEST_INPUT), Npy.bytes(new Npy.Array(
          new int[] {1, crop.channels(), side, side}, crop.data().clone())));
      Files.write(tmp.resolve(TEST_OUTPUT), Npy.bytes(expected));
      ImageFiles.writeImage(cover(crop, probabilities[0]), tmp.resolve("cover.png"), false);
      List<String> channels = outputChannels(spec, description.classNames());
      Files.writeString(tmp.resolve(RDF), rdf(spec, description, side, channels));
      Files.writeString(tmp.resolve("README.md"), readme(spec, description, side, channels));

      float[] actual = run(tmp.resolve(TORCHSCRIPT), spec.normalization().normalised(crop));
      double diff = largestDifference(expected.data(), actual);
      if (!(diff <= TOLERANCE)) {
        throw new IOException("the exported module does not reproduce LazySeg's probabilities"
            + " (largest difference " + diff + "); nothing was exported");
      }
      Files.move(tmp, folder);
      return new Exported(folder, side, channels, diff);
    } finally {
      if (Files.exists(tmp)) {
        try (var files = Files.list(tmp)) {
          for (Path p : files.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Runs the TorchScript file {@code module} on {@code input}: every head's probabilities. */
  public static float[] run(Path module, FloatImage input) throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        InputStream in = Files.newInputStream(module)) {
      PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, in, false, false);
      try {
        JniUtils.enableInferenceMode(block);
        NDArray x = manager.create(input.data(),
            new Shape(1, input.channels(), input.height(), input.width()));
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
          NDList out = IValueUtils.forward(block, new NDList(x), false);
          return out.singletonOrThrow().toFloatArray();
        } finally {
          JniUtils.setGradMode(grad);
        }
      } finally {
        block.close();
      }
    }
  }

  /**
   * The centred square crop of side {@code min(256, width, height)} rounded down to a multiple
   * of {@code multiple} (the network's input sizes).
   */
  static FloatImage testCrop(FloatImage image, int multiple) {
    int side = Math.min(TEST_SIDE, Math.min(image.width(), image.height())) / multiple * multiple;
    if (side < multiple) {
      throw new IllegalArgumentException("the sample image is " + image.width() + " x "
          + image.height() + " pixels; the network needs at least " + multiple + " x "
          + multiple);
    }
    return image.crop((image.width() - side) / 2, (image.height() - side) / 2, side, side);
  }

  private static Npy.Array stack(float[][][] probabilities, int side) {
    List<float[]> planes = new ArrayList<>();
    for (float[][] head : probabilities) {
      planes.addAll(List.of(head));
    }
    float[] data = new float[planes.size() * side * side];
    for (int i = 0; i < planes.size(); i++) {
      System.arraycopy(planes.get(i), 0, data, i * side * side, side * side);
    }
    return new Npy.Array(new int[] {1, planes.size(), side, side}, data);
  }

  static double largestDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  /** Channel names of the output: task and class, e.g. segmentation:nucleus. */
  static List<String> outputChannels(ModelSpec spec, List<String> classNames) {
    List<String> names = new ArrayList<>();
    for (int t = 0; t < spec.tasks().size(); t++) {
      Task task = spec.tasks().get(t);
      for (int k = 0; k < task.classes(); k++) {
        String cls = k == 0 ? "background"
            : t == 0 && classNames != null && k - 1 < classNames.size() ? classNames.get(k - 1)
            : "class" + k;
        names.add(task.name() + ":" + cls);
      }
    }
    return names;
  }

  /** The crop (grey or its first three channels) beside the foreground probability. */
  private static FloatImage cover(FloatImage crop, float[][] segmentation) {
    int s = crop.width();
    int channels = crop.channels() >= 3 ? 3 : 1;
    FloatImage out = new FloatImage(2 * s, s, channels);
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          out.set(c, x, y, crop.get(Math.min(c, crop.channels() - 1), x, y));
          float background = segmentation[0][y * s + x];
          out.set(c, s + x, y, 1f - background);
        }
      }
    }
    return out;
  }

  private static String rdf(ModelSpec spec, Description d, int side, List<String> channels)
      throws IOException {
    Normalization n = spec.normalization();
    Map<String, Object> rdf = new LinkedHashMap<>();
    rdf.put("format_version", "0.5.3");
    rdf.put("type", "model");
    rdf.put("name", d.name());
    rdf.put("description", "Semantic segmentation (" + d.method() + " method, LazySeg): "
        + "per-pixel class probabilities of every head.");
    rdf.put("authors", List.of(map("name", d.author())));
    if (d.license() != null) {
      rdf.put("license", d.license());
    }
    rdf.put("documentation", "README.md");
    rdf.put("covers", List.of("cover.png"));
    rdf.put("tags", List.of("segmentation", "lazyseg", d.method()));
    int m = spec.sizeMultiple();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("id", "input0");
    input.put("description", "the image with intensities scaled to [0, 1] as LazySeg reads"
        + " it (integer samples over 2^bits - 1)" + shrunk(d));
    input.put("axes", List.of(map("type", "batch"),
        map("type", "channel", "channel_names", channelNames(spec.channels())),
        map("type", "space", "id", "y", "size", map("min", m, "step", m)),
        map("type", "space", "id", "x", "size", map("min", m, "step", m))));
    input.put("test_tensor", map("source", TEST_INPUT));
    input.put("data", map("type", "float32"));
    input.put("preprocessing", preprocessing(n));
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("id", "output0");
    output.put("description", "softmax probabilities, per head and class");
    output.put("axes", List.of(map("type", "batch"),
        map("type", "channel", "channel_names", channels),
        map("type", "space", "id", "y", "size", map("tensor_id", "input0", "axis_id", "y")),
        map("type", "space", "id", "x", "size", map("tensor_id", "input0", "axis_id", "x"))));
    output.put("test_tensor", map("source", TEST_OUTPUT));
    output.put("data", map("type", "float32"));
    rdf.put("inputs", List.of(input));
    rdf.put("outputs", List.of(output));
    rdf.put("weights", map("torchscript", map("source", TORCHSCRIPT,
        "pytorch_version", "2.7.1")));
    rdf.put("config", map("lazyseg", map("method", d.method(), "network", spec.network(),
        "width", spec.width(), "depth", spec.depth(), "test_side", side)));
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .disable(YAMLGenerator.Feature.SPLIT_LINES)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    return yaml.writeValueAsString(rdf);
  }

  /**
   * The normalisation as bioimage.io preprocessing steps: per-image percentiles as
   * scale_range over each channel's plane (then mean and std, when training stored others than
   * 0 and 1), the training images' mean and std as fixed_zero_mean_unit_variance.
   */
  private static List<Map<String, Object>> preprocessing(Normalization n) {
    List<Map<String, Object>> steps = new ArrayList<>();
    boolean standard = true;
    for (int c = 0; c < n.channels(); c++) {
      standard &= n.mean()[c] == 0f && n.std()[c] == 1f;
    }
    if (n.kind().equals(Normalization.PERCENTILE)) {
      steps.add(map("id", "scale_range", "kwargs", map("axes", List.of("y", "x"),
          "min_percentile", n.percentiles()[0], "max_percentile", n.percentiles()[1])));
    }
    if (!n.kind().equals(Normalization.PERCENTILE) || !standard) {
      steps.add(map("id", "fixed_zero_mean_unit_variance", "kwargs", map("axis", "channel",
          "mean", toList(n.mean()), "std", toList(n.std()))));
    }
    return steps;
  }

  /** Python lines that normalise {@code x} (1, C, H, W) as {@code n} does. */
  private static String pythonNormalisation(Normalization n) {
    String lines = "";
    if (n.kind().equals(Normalization.PERCENTILE)) {
      lines += "lo, hi = np.percentile(x, [" + n.percentiles()[0] + ", " + n.percentiles()[1]
          + "], axis=(2, 3), keepdims=True)   # per channel, of this image\n"
          + "x = (x - lo) / (hi - lo)\n";
    }
    return lines
        + "mean = np.array(" + java.util.Arrays.toString(n.mean()) + ", np.float32)\n"
        + "std = np.array(" + java.util.Arrays.toString(n.std()) + ", np.float32)\n"
        + "x = (x - mean[None, :, None, None]) / std[None, :, None, None]\n";
  }

  /** What the normalisation does, in words. */
  private static String describe(Normalization n) {
    String fixed = "per channel (v - mean) / std with mean " + java.util.Arrays.toString(n.mean())
        + " and std " + java.util.Arrays.toString(n.std());
    return n.kind().equals(Normalization.PERCENTILE)
        ? "each channel scaled by this image's own " + n.percentiles()[0] + "th and "
            + n.percentiles()[1] + "th percentile ((v - lo) / (hi - lo)), then " + fixed
        : fixed + " (of the training images)";
  }

  /** A map that keeps its keys in the order given (key, value, key, value, ...). */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static List<String> channelNames(int channels) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      names.add("channel" + c);
    }
    return names;
  }

  private static List<Float> toList(float[] values) {
    List<Float> list = new ArrayList<>();
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  /** What the input description adds for a model with a working scale; empty at 1. */
  private static String shrunk(Description d) {
    return d.workingScale() == 1 ? "" : ", shrunk by a factor of " + d.workingScale()
        + " (pixel-area averaging, LazySeg's working scale of this model): its probabilities"
        + " are then those of the shrunk image";
  }

  private static String readme(ModelSpec spec, Description d, int side, List<String> channels) {
    Normalization n = spec.normalization();
    return "# " + d.name() + "\n\n"
        + "Exported by LazySeg from a " + d.method() + " model (" + spec.network() + ", width "
        + spec.width() + ", depth " + spec.depth() + ").\n\n"
        + "## Input\n\n"
        + "`input0`: float32, (1, " + spec.channels() + ", H, W), H and W multiples of "
        + spec.sizeMultiple() + ". Intensities scaled to [0, 1] as LazySeg reads images"
        + " (8-bit values / 255, 16-bit / (2^bits - 1)), then " + describe(n)
        + " (rdf.yaml's preprocessing)" + shrunk(d) + ". `model.pt` takes the normalised"
        + " image.\n\n"
        + "## Output\n\n"
        + "float32, (1, " + channels.size() + ", H, W): softmax probabilities, channels "
        + String.join(", ", channels) + ".\n\n"
        + "## In Python\n\n"
        + "```python\n"
        + "import numpy as np, torch\n"
        + "m = torch.jit.load('model.pt').eval()\n"
        + "x = np.load('test_input.npy')                      # (1, C, " + side + ", " + side
        + ")\n"
        + pythonNormalisation(n)
        + "with torch.no_grad():\n"
        + "    p = m(torch.from_numpy(x.astype(np.float32))).numpy()\n"
        + "print(abs(p - np.load('test_output.npy')).max())   # LazySeg's own probabilities\n"
        + "```\n\n"
        + "Instances, least object area and the method's read-out (splitting touching"
        + " objects) are LazySeg's own and not part of the export: the probabilities are.\n";
  }
}
