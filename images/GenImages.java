import java.awt.*;
import java.awt.image.*;
import java.io.File;
import javax.imageio.*;
import javax.imageio.stream.*;

public class GenImages {
  static BufferedImage scene(int type, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, type);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(255, 140, 0), w, h, new Color(30, 60, 200)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(250, 230, 80));
    g.fillOval(w / 8, h / 8, w / 3, w / 3);
    g.setColor(new Color(20, 120, 40));
    g.fillPolygon(new int[] {0, w / 2, w}, new int[] {h, h / 3, h}, 3);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, h / 8));
    g.drawString("MesosKit", w / 2, h / 5);
    g.dispose();
    return img;
  }
  public static void main(String[] a) throws Exception {
    File dir = new File(a[0]);
    int w = 240, h = 160;
    // RGBA PNG with a transparent gradient
    BufferedImage rgba = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = rgba.createGraphics();
    g.drawImage(scene(BufferedImage.TYPE_INT_RGB, w, h), 0, 0, null);
    g.dispose();
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
      int p = rgba.getRGB(x, y);
      rgba.setRGB(x, y, (p & 0xFFFFFF) | ((255 * x / w) << 24));
    }
    ImageIO.write(rgba, "png", new File(dir, "sunset-alpha.png"));
    ImageIO.write(scene(BufferedImage.TYPE_BYTE_INDEXED, w, h), "png", new File(dir, "palette.png"));
    ImageIO.write(scene(BufferedImage.TYPE_BYTE_GRAY, w, h), "png", new File(dir, "gray.png"));
    BufferedImage g16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = g16.getRaster();
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, (x * 65535 / w + y * 97) % 65536);
    ImageIO.write(g16, "png", new File(dir, "ramp-16bit.png"));
    jpeg(scene(BufferedImage.TYPE_INT_RGB, w, h), new File(dir, "landscape.jpg"));
    jpeg(scene(BufferedImage.TYPE_BYTE_GRAY, w, h), new File(dir, "landscape-gray.jpg"));
    ImageIO.write(scene(BufferedImage.TYPE_BYTE_INDEXED, w, h), "gif", new File(dir, "shapes.gif"));
    ImageIO.write(scene(BufferedImage.TYPE_3BYTE_BGR, w, h), "bmp", new File(dir, "shapes.bmp"));
  }
  static void jpeg(BufferedImage img, File f) throws Exception {
    ImageWriter wr = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = wr.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.9f);
    try (ImageOutputStream o = ImageIO.createImageOutputStream(f)) {
      wr.setOutput(o);
      wr.write(null, new IIOImage(img, null, null), p);
    }
  }
}
