package io.nextbest.models.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a campaign is, beyond its id: the category it promotes, its discount depth (percent off) and
 * free tags. The model shares statistics between campaigns through these (and the channel): a new
 * campaign starts from the campaigns that share its attributes instead of from nothing.
 *
 * @param category category promoted, or null
 * @param discountDepth percent off, 0–100, or null
 * @param tags free tags
 */
public record CampaignAttributes(String category, Double discountDepth, List<String> tags) {
  public static final CampaignAttributes NONE = new CampaignAttributes(null, null, List.of());

  /** Prefix of the channel's token: {@code channel:email}. */
  public static final String CHANNEL_TOKEN = "channel:";

  public CampaignAttributes {
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (discountDepth != null && !(discountDepth >= 0 && discountDepth <= 100)) {
      discountDepth = null;
    }
  }

  /**
   * The attribute tokens that pool statistics across campaigns: channel, category, discount band
   * and tags.
   */
  public List<String> tokens(String channel) {
    List<String> out = new ArrayList<>(3 + tags.size());
    if (channel != null) {
      out.add(CHANNEL_TOKEN + channel);
    }
    if (category != null) {
      out.add("category:" + category.toLowerCase(Locale.ROOT));
    }
    if (discountDepth != null && discountDepth > 0) {
      out.add("discount:" + (discountDepth < 15 ? "low" : discountDepth < 30 ? "mid" : "high"));
    }
    tags.forEach(t -> out.add("tag:" + t.toLowerCase(Locale.ROOT)));
    return out;
  }
}
