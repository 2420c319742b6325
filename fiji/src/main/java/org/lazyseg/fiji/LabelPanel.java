package org.lazyseg.fiji;

import ij.IJ;
import ij.Prefs;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.plugin.frame.PlugInFrame;
import java.awt.Button;
import java.awt.GraphicsEnvironment;
import java.awt.GridLayout;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextField;

/**
 * "LazySeg Label Panel": a small window of buttons over the label commands, for labelling
 * with ImageJ's own selection tools: draw a selection, press a button. Each button runs the
 * macro-recordable command ({@code run("LazySeg Add Label", ...)}) with the panel's dataset
 * folder and class, so the panel adds no behaviour of its own. Needs a display.
 */
public final class LabelPanel implements PlugIn {
  @Override
  public void run(String arg) {
    if (GraphicsEnvironment.isHeadless()) {
      Commands.error("LazySeg Label Panel", "the panel needs a display; without one use "
          + "run(\"LazySeg Add Label\", \"dataset=[DIR] kind=partial class=NAME\")");
      return;
    }
    new Window();
  }

  private static final class Window extends PlugInFrame {
    private final TextField dataset = new TextField(Prefs.get("lazyseg.dataset", ""), 30);
    private final TextField className = new TextField(Prefs.get("lazyseg.class", "object"), 14);

    Window() {
      super("LazySeg Label");
      setLayout(new GridLayout(0, 1, 2, 2));
      Panel fields = new Panel(new GridLayout(2, 2));
      fields.add(new Label("Dataset folder"));
      fields.add(dataset);
      fields.add(new Label("Class"));
      fields.add(className);
      add(fields);
      button("Strong outline (selection = one whole object)", () -> add("strong"));
      button("Partial region (some pixels inside objects)", () -> add("partial"));
      button("Scribble (between touching objects)", () -> add("scribble"));
      button("Remove labels under the selection", () -> IJ.run("LazySeg Remove Label",
          "dataset=[" + dataset.getText() + "] kind=any"));
      button("Image tags: classes present...", () -> IJ.run("LazySeg Image Tags",
          "dataset=[" + dataset.getText() + "]"));
      button("Object size (from a line selection)", () -> IJ.run("LazySeg Object Size",
          "dataset=[" + dataset.getText() + "]"));
      button("Show labels", () -> IJ.run("LazySeg Show Labels",
          "dataset=[" + dataset.getText() + "]"));
      pack();
      setVisible(true);
    }

    private void add(String kind) {
      IJ.run("LazySeg Add Label", "dataset=[" + dataset.getText() + "] kind=" + kind
          + " class=[" + className.getText() + "]");
    }

    private void button(String label, Runnable action) {
      Button b = new Button(label);
      // Off the event thread, as ImageJ runs menu commands.
      b.addActionListener(e -> new Thread(() -> {
        if (WindowManager.getCurrentImage() == null) {
          IJ.error("LazySeg Label", "no image open: open the image to label first");
          return;
        }
        action.run();
      }, "LazySeg label").start());
      add(b);
    }
  }
}
