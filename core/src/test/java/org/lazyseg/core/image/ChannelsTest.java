package org.lazyseg.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChannelsTest {
  private static FloatImage noise(int w, int h, int channels, long seed) {
    return org.lazyseg.core.testing.TestImages.noise(w, h, channels, seed);
  }

  @Test
  void greyIsReplicatedIntoColourAndColourAveragedIntoGrey() {
    FloatImage grey = noise(3, 2, 1, 5);
    FloatImage rgb = Channels.adapt(grey, 3);
    assertThat(rgb.channels()).isEqualTo(3);
    assertThat(rgb.get(2, 1, 1)).isEqualTo(grey.get(0, 1, 1));
    FloatImage back = Channels.adapt(rgb, 1);
    assertThat(back.get(0, 2, 1)).isCloseTo(grey.get(0, 2, 1), within(1e-6f));
    assertThatThrownBy(() -> Channels.adapt(noise(3, 2, 2, 6), 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void separateChannelsFitOnlyTheirOwnCountWhileGreyAndColourAdapt() {
    assertThat(Channels.fits(2, true, 2)).isTrue();
    assertThat(Channels.fits(2, true, 1)).as("two stains are not averaged").isFalse();
    assertThat(Channels.fits(3, true, 1)).isFalse();
    assertThat(Channels.fits(3, false, 1)).as("a colour picture into grey").isTrue();
    assertThat(Channels.fits(1, false, 3)).isTrue();
    assertThat(Channels.fits(1, true, 2)).isTrue();
    assertThat(Channels.fits(3, false, 2)).isFalse();
  }
}
