package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** How events become features. */
@ConfigMapping(prefix = "nextbest.profile.features")
public interface FeatureConfig {

  /**
   * Custom event types that each count as one use of a discount (price sensitivity), beside
   * purchases with a discount or a coupon.
   */
  @WithDefault("discount_code_used,coupon_redeemed")
  Set<String> discountEventTypes();
}
