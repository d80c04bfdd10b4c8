package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsTheKubernetesForms() {
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.text(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(DurationConverter.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  /** Bad inputs tried: no unit, a unit it does not know, a negative, a fraction, empty text. */
  @Test
  void namesTheTextItCannotRead() {
    for (String bad : new String[] {"15", "15d", "-1s", "1.5s", ""}) {
      assertThatThrownBy(() -> converter.convert(bad))
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("\"" + bad + "\" is not a duration");
    }
  }
}
