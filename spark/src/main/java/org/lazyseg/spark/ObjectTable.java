package org.lazyseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.lazyseg.cli.Prediction;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.measure.ObjectsCsv;

/**
 * OUT/objects.parquet: the object rows of every image of the collection in one Parquet
 * table, columns {@link ObjectsCsv#COLUMNS} (pixels; predict's objects.csv has the same
 * rows, and the unit columns when pixel sizes are known). Built from the per-image
 * tables OUT/objects/ID.csv (so a rerun that skips finished images still has their rows),
 * written into a temporary folder and renamed into place. Spark, pandas and pyarrow read the
 * folder as one table.
 */
final class ObjectTable {
  static final String FOLDER = "objects.parquet";

  private ObjectTable() {}

  /** Column types: the counts and boxes are integers, the names text, the rest decimals. */
  static MessageType schema() {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (String column : ObjectsCsv.COLUMNS) {
      Type.Repetition repetition = column.equals("image") || column.equals("object")
          ? Type.Repetition.REQUIRED : Type.Repetition.OPTIONAL;
      switch (column) {
        case "image", "class" -> message.primitive(PrimitiveTypeName.BINARY, repetition)
            .as(LogicalTypeAnnotation.stringType()).named(column);
        case "object", "area", "bbox_x", "bbox_y", "bbox_width", "bbox_height" ->
            message.primitive(PrimitiveTypeName.INT32, repetition).named(column);
        default -> message.primitive(PrimitiveTypeName.DOUBLE, repetition).named(column);
      }
    }
    return message.named("spark_schema");
  }

  /**
   * Writes the table of the images {@code ids} (those with a complete objects/ID.csv), one
   * Parquet file (Snappy) in the folder, as Spark writes one: in the driver, straight from
   * the per-image tables that {@link Prediction#mergeTable} has just read too (a Spark SQL
   * job cost 20 s of start-up, its planner and code generation, for a few MB).
   */
  static void write(Tasks.Job job, List<String> ids, PrintWriter log) throws IOException {
    Path out = Path.of(job.settings().out());
    Path target = out.resolve(FOLDER);
    Path tmp = out.resolve("." + FOLDER + "." + UUID.randomUUID() + ".tmp");
    Files.createDirectories(tmp);
    MessageType schema = schema();
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    Prediction prediction = new Prediction(job.settings(), job.classNames(), job.units());
    long count = 0;
    try (ParquetWriter<Group> writer = ExampleParquetWriter
        .builder(new LocalOutputFile(tmp.resolve("part-00000.snappy.parquet")))
        .withConf(new PlainParquetConfiguration()).withType(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (String id : ids) {
        Path file = prediction.objectsFile(id);
        if (!prediction.table().isComplete(file)) {
          continue;
        }
        for (List<String> cells : prediction.table().read(file)) {
          writer.write(row(groups.newGroup(), schema, cells));
          count++;
        }
      }
    }
    Files.createFile(tmp.resolve("_SUCCESS"));
    OutputFolder.deleteRecursively(target);
    Files.move(tmp, target);
    log.printf(Locale.ROOT, "lazyseg: %d objects of %d images -> %s%n", count, ids.size(),
        target);
  }

  /** One row of objects/ID.csv, typed; an empty cell is a null. */
  private static Group row(Group row, MessageType schema, List<String> cells) {
    for (int c = 0; c < schema.getFieldCount(); c++) {
      String v = cells.get(c);
      if (v.isEmpty()) {
        continue;
      }
      switch (schema.getType(c).asPrimitiveType().getPrimitiveTypeName()) {
        case INT32 -> row.add(c, Integer.parseInt(v));
        case DOUBLE -> row.add(c, Double.parseDouble(v));
        default -> row.add(c, v);
      }
    }
    return row;
  }
}
