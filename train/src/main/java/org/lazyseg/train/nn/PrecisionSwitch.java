package org.lazyseg.train.nn;

import ai.djl.nn.AbstractBlock;
import java.util.Objects;

/**
 * A network that computes in fp32 or bf16 with the same fp32 parameters: the precision switch
 * of {@link UNet} and {@link MultiTaskUNet}, whose forwards check {@link #precision()}.
 */
public abstract class PrecisionSwitch extends AbstractBlock {
  private volatile Precision precision = Precision.FP32;

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
}
