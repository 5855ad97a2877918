package io.nextbest.profile.segments;

import io.nextbest.profile.service.ClvModels;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Loads the stored models and segments before the first request is served. */
@ApplicationScoped
public class SegmentStartup {
  private static final Logger LOG = Logger.getLogger(SegmentStartup.class);

  void load(@Observes StartupEvent ignored, SegmentCatalog catalog, ClvModels models) {
    try {
      VertxContextSupport.subscribeAndAwait(() -> models.refresh().chain(catalog::refresh));
    } catch (Throwable e) {
      // PostgreSQL may be down at start; the scheduled refreshes pick the models up later
      LOG.warnf("stored models not loaded at start: %s", e.toString());
    }
  }
}
