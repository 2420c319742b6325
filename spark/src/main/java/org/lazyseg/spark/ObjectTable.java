package org.lazyseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lazyseg.cli.Prediction;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.measure.ObjectsCsv;

/**
 * OUT/objects.parquet: the object rows of every image of the collection in one Parquet
 * table, columns {@link ObjectsCsv#COLUMNS} (pixels; predict's objects.csv has the same
 * rows, and the unit columns when pixel sizes are known). Built by Spark from the per-image
 * tables OUT/objects/ID.csv (so a rerun that skips finished images still has their rows),
 * written into a temporary folder and renamed into place.
 */
final class ObjectTable {
  static final String FOLDER = "objects.parquet";

  private ObjectTable() {}

  /** Column types: the counts and boxes are integers, the names text, the rest decimals. */
  static StructType schema() {
    List<StructField> fields = new ArrayList<>();
    for (String column : ObjectsCsv.COLUMNS) {
      DataType type = switch (column) {
        case "image", "class" -> DataTypes.StringType;
        case "object", "area", "bbox_x", "bbox_y", "bbox_width", "bbox_height" ->
            DataTypes.IntegerType;
        default -> DataTypes.DoubleType;
      };
      fields.add(DataTypes.createStructField(column, type, !column.equals("image")
          && !column.equals("object")));
    }
    return DataTypes.createStructType(fields);
  }

  /** Writes the table of the images {@code ids} (those with a complete objects/ID.csv). */
  static void write(SparkSession spark, Tasks.Job job, List<String> ids, PrintWriter log)
      throws IOException {
    Path out = Path.of(job.settings().out());
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(ids.size(), context.defaultParallelism() * 4));
    JavaRDD<Row> rows = context.parallelize(ids.isEmpty() ? List.of() : ids, slices)
        .flatMap(id -> rows(job, id).iterator());
    Dataset<Row> table = spark.createDataFrame(rows, schema());
    Path target = out.resolve(FOLDER);
    Path tmp = out.resolve("." + FOLDER + "." + UUID.randomUUID() + ".tmp");
    table.coalesce(1).write().parquet(tmp.toUri().toString());
    OutputFolder.deleteRecursively(target);
    Files.move(tmp, target);
    long count = spark.read().parquet(target.toUri().toString()).count();
    log.printf(Locale.ROOT, "lazyseg: %d objects of %d images -> %s%n", count, ids.size(),
        target);
  }

  /** The rows of OUT/objects/ID.csv as Spark rows (none when it is missing or partial). */
  static List<Row> rows(Tasks.Job job, String id) {
    Prediction prediction = new Prediction(job.settings(), job.classNames(), job.units());
    Path file = prediction.objectsFile(id);
    if (!prediction.table().isComplete(file)) {
      return List.of();
    }
    StructType schema = schema();
    List<Row> rows = new ArrayList<>();
    for (List<String> cells : prediction.table().read(file)) {
      Object[] values = new Object[schema.size()];
      for (int c = 0; c < values.length; c++) {
        String v = cells.get(c);
        DataType type = schema.fields()[c].dataType();
        values[c] = v.isEmpty() && type != DataTypes.StringType ? null
            : type == DataTypes.IntegerType ? Integer.valueOf(v)
            : type == DataTypes.DoubleType ? Double.valueOf(v) : v;
      }
      rows.add(RowFactory.create(values));
    }
    return rows;
  }
}
