package dev.strata.image;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.image.source.FileImageSource;
import dev.strata.image.source.ImageSource;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test repository with small chunks and the image operations on it. Confined to one test thread. */
final class ImageFixture {
    final TestRepositories.Fixture repo;
    final List<String> warnings = new ArrayList<>();

    ImageFixture(Path dir) throws IOException {
        this.repo = TestRepositories.local(dir).small().init();
    }

    ImageResult create(Path source, ImageRequest req) throws IOException {
        try (Repository r = repo.open(); ImageSource src = FileImageSource.open(source)) {
            return create(r, src, req);
        }
    }

    ImageResult create(Repository r, ImageSource src, ImageRequest req) throws IOException {
        return new ImageCreator(r).create(src, req, new ImageCounters(), warnings::add);
    }

    ImageRestorer.Report restore(Snapshot s, int partition, Path target) throws IOException {
        try (Repository r = repo.open()) {
            return new ImageRestorer(r).restore(s, partition, target, true, new ImageCounters());
        }
    }

    List<Snapshot> snapshots() throws IOException {
        try (Repository r = repo.open()) {
            return new Snapshots(r).list();
        }
    }
}
