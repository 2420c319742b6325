package org.lazyseg.train.nn;

/** A network that computes in fp32 or bf16 with the same fp32 parameters. */
public interface PrecisionSwitch {
  /** From the next forward on; safe to call between steps or predictions. */
  void setPrecision(Precision precision);

  Precision precision();
}
