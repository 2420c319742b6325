package org.lazyseg.train.nn;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Objects;

/**
 * A network that computes in fp32 or bf16 with the same fp32 parameters: the precision switch
 * of {@link UNet} and {@link MultiTaskUNet}, whose forwards check {@link #precision()}.
 */
public abstract class PrecisionSwitch extends AbstractBlock {
  private volatile Precision precision = Precision.FP32;
  /** The parameters in DJL's order, built once: the bf16 module reads them per forward. */
  private volatile List<Parameter> ordered;

  protected PrecisionSwitch(byte version) {
    super(version);
  }

  /** From the next forward on; safe to call between steps or predictions. */
  public void setPrecision(Precision precision) {
    this.precision = Objects.requireNonNull(precision);
  }

  public Precision precision() {
    return precision;
  }

  /** How many parameters (running statistics included) the network's bf16 module expects. */
  abstract int expectedParameters();

  /**
   * The parameters in DJL's order (children in the order they were added, each one's own in
   * order), which the bf16 module reads; the same Parameter objects for the block's life.
   */
  List<Parameter> orderedParameters() {
    List<Parameter> all = ordered;
    if (all == null) {
      all = List.copyOf(getParameters().values());
      if (all.size() != expectedParameters()) {
        throw new IllegalStateException(this + ": " + all.size() + " parameters, the bf16 module"
            + " expects " + expectedParameters());
      }
      ordered = all;
    }
    return all;
  }
}
