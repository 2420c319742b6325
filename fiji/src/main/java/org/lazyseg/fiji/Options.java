package org.lazyseg.fiji;

import ij.Macro;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's options, declared once and read in order: ImageJ's {@link GenericDialog} where
 * there is a display (it also takes a macro's options and records the command for the macro
 * recorder), else the macro's options alone, read as GenericDialog reads them (headless
 * ImageJ 1.x cannot open a dialog, not even a hidden one). The key of an option is the first
 * word of its label in lower case ({@code "Model folder"}: {@code model=...}); a checkbox is
 * on when its key stands alone in the options ({@code "... background"}).
 */
final class Options {
  private final GenericDialog dialog;
  private final String macro;
  private final List<Object> defaults = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private int next;

  private Options(GenericDialog dialog, String macro) {
    this.dialog = dialog;
    this.macro = macro;
  }

  /** Options of the command {@code title}: a dialog with a display, the macro's options without. */
  static Options of(String title) {
    return GraphicsEnvironment.isHeadless() ? new Options(null, Macro.getOptions())
        : new Options(new GenericDialog(title), null);
  }

  /** Whether the command runs from a macro (or headless, where nothing can be asked). */
  static boolean fromMacro() {
    return Macro.getOptions() != null || GraphicsEnvironment.isHeadless();
  }

  Options addText(String label, String value) {
    if (dialog != null) {
      dialog.addStringField(label, value, 36);
    }
    return declare(label, value);
  }

  Options addFolder(String label, String value) {
    if (dialog != null) {
      dialog.addDirectoryField(label, value, 36);
    }
    return declare(label, value);
  }

  Options addNumber(String label, double value, int decimals) {
    if (dialog != null) {
      dialog.addNumericField(label, value, decimals);
    }
    return declare(label, value);
  }

  Options addChoice(String label, String[] items, String value) {
    if (dialog != null) {
      dialog.addChoice(label, items, value);
    }
    return declare(label, value);
  }

  Options addCheckbox(String label, boolean value) {
    if (dialog != null) {
      dialog.addCheckbox(label, value);
    }
    return declare(label, value);
  }

  Options addMessage(String text) {
    if (dialog != null) {
      dialog.addMessage(text);
    }
    return this;
  }

  private Options declare(String label, Object value) {
    labels.add(label);
    defaults.add(value);
    return this;
  }

  /** Shows the dialog (a no-op without a display); false when the user cancelled it. */
  boolean show() {
    if (dialog == null) {
      return true;
    }
    dialog.showDialog();
    return !dialog.wasCanceled();
  }

  String text() {
    String d = (String) defaults.get(next);
    String key = labels.get(next++);
    return dialog != null ? dialog.getNextString().trim()
        : macro == null ? d : Macro.getValue(macro, key, d).trim();
  }

  String choice() {
    String d = (String) defaults.get(next);
    String key = labels.get(next++);
    return dialog != null ? dialog.getNextChoice()
        : macro == null ? d : Macro.getValue(macro, key, d).trim();
  }

  /** A number; NaN when the text given is not one. */
  double number() {
    double d = (Double) defaults.get(next);
    String key = labels.get(next++);
    if (dialog != null) {
      return dialog.getNextNumber();
    }
    if (macro == null) {
      return d;
    }
    try {
      return Double.parseDouble(Macro.getValue(macro, key, Double.toString(d)).trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  boolean checkbox() {
    boolean d = (Boolean) defaults.get(next);
    String key = Macro.trimKey(labels.get(next++));
    if (dialog != null) {
      return dialog.getNextBoolean();
    }
    if (macro == null) {
      return d;
    }
    String padded = " " + macro + " ";
    return padded.contains(" " + key + " ");
  }
}
