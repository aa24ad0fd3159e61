package org.recurrent4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/** One local Spark context for the module's tests (a JVM holds one at a time): {@code local[2]}, no UI. */
final class SparkTestContext {

    private static JavaSparkContext sc;

    private SparkTestContext() {
    }

    static synchronized JavaSparkContext get() {
        if (sc == null) {
            SparkConf conf = SparkTraining.configure(new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("recurrent4j-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1"));
            // getOrCreate: a context TrainSpark made in this JVM is the one (a JVM runs one at a time)
            sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> sc.stop()));
        }
        return sc;
    }
}
