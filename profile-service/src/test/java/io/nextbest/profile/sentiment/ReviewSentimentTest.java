package io.nextbest.profile.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReviewSentimentTest {
  private final ReviewSentiment scorer = ReviewSentiment.shared();

  @Test
  void scoresPositiveNegativeAndNeutralTexts() {
    assertThat(scorer.score("Great tea, I love it!", "en")).isPositive();
    assertThat(scorer.score("Awful taste, a waste of money.", "en")).isNegative();
    assertThat(scorer.score("Delivered on Tuesday in a box.", "en")).isZero();
    assertThat(scorer.score("", "en")).isZero();
    assertThat(scorer.score(null, null)).isZero();
  }

  @Test
  void staysWithinMinusOneAndOne() {
    String praise = "excellent amazing wonderful superb outstanding ".repeat(200);
    assertThat(scorer.score(praise, "en")).isBetween(0.99, 1.0);
    assertThat(scorer.score("horrible awful terrible ".repeat(200), "en")).isBetween(-1.0, -0.99);
  }

  @Test
  void aNegatorFlipsTheFollowingWordsOfItsClause() {
    assertThat(scorer.score("The coffee is not good.", "en")).isNegative();
    assertThat(scorer.score("It didn't disappoint.", "en")).isPositive();
    // the clause ends at the comma, so "great" keeps its sign
    assertThat(scorer.rawScore("not bad, great", "en"))
        .isEqualTo(-scorer.rawScore("bad", "en") + scorer.rawScore("great", "en"));
  }

  @Test
  void findsInflectedWordsAndEmoji() {
    assertThat(scorer.rawScore("schlechte", "de")).isEqualTo(scorer.rawScore("schlecht", "de"));
    assertThat(scorer.score("👍", "en")).isPositive();
    assertThat(scorer.score("😩", "en")).isNegative();
  }

  @Test
  void scoresInTheLanguageOfTheLocale() {
    assertThat(scorer.language("Sehr gut", "de-AT")).isEqualTo("de");
    assertThat(scorer.language("x", "pt-BR")).isEqualTo("pt");
    assertThat(scorer.language("x", "zh-Hant-TW")).isEqualTo("zh-tw");
    assertThat(scorer.score("Schrecklich und enttäuschend.", "de-DE")).isNegative();
    assertThat(scorer.score("Produit excellent, je recommande.", "fr-FR")).isPositive();
    assertThat(scorer.score("Il caffè è delizioso.", "it")).isPositive();
    assertThat(scorer.score("El paquete llegó roto, horrible.", "es-MX")).isNegative();
  }

  @Test
  void guessesTheLanguageWithoutALocaleAndFallsBackToEnglish() {
    assertThat(scorer.language("Der Tee ist sehr gut und die Lieferung war schnell.", null))
        .isEqualTo("de");
    assertThat(scorer.language("La livraison était très rapide.", null)).isEqualTo("fr");
    assertThat(scorer.language("¡Muy bueno! El té llegó pronto.", "")).isEqualTo("es");
    assertThat(scorer.language("12345", null)).isEqualTo("en");
    // a locale without a shipped lexicon: guessed from the text
    assertThat(scorer.language("Die Tasse ist schön.", "tlh")).isEqualTo("de");
  }
}
