package org.lazyseg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.lazyseg.cli.LazySeg;

/**
 * The {@code spark-submit} entry point: {@code spark-submit --class
 * org.lazyseg.spark.SparkPredictJob ... --model RUN --input DIR --out DIR [predict's
 * options]} runs {@code lazyseg predict --spark MASTER} with the master spark-submit was
 * given ({@code --master}), as the driver of that application.
 */
public final class SparkPredictJob {
  private SparkPredictJob() {}

  public static void main(String[] args) {
    String master = new SparkConf().get("spark.master", "local[*]");
    List<String> line = new ArrayList<>(List.of("predict", "--spark", master));
    line.addAll(List.of(args));
    System.exit(LazySeg.commandLine().execute(line.toArray(String[]::new)));
  }
}
