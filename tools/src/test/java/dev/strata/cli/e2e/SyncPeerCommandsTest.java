package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.CliRunner;
import dev.strata.cli.CliRunner.Result;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.ShareBook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync commands that need no repository: the device ID and the peer list, run in process. */
class SyncPeerCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void id_isOneLine_stable_andPerConfigFolder() {
        CliRunner ana = runner("ana");
        Result first = ana.run("sync", "id");
        assertThat(first.code()).isZero();
        assertThat(first.out()).matches("[A-Z2-7]{7}(-[A-Z2-7]{7}){7}\n");
        assertThat(first.err()).contains("made this device's identity in " + tmp.resolve("ana/strata/device.pem"));
        Result again = ana.run("sync", "id");
        assertThat(again.out()).isEqualTo(first.out());
        assertThat(again.err()).isEmpty();
        assertThat(runner("bob").run("sync", "id").out()).isNotEqualTo(first.out());
    }

    @Test
    void addPeer_listsIt_readdMovesIt_removeForgetsIt() throws Exception {
        CliRunner ana = runner("ana");
        String bob = runner("bob").run("sync", "id").out().strip();
        Result added = ana.run("sync", "add-peer", bob.toLowerCase().replace("-", ""), "127.0.0.1:22400");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).isEqualTo("added peer " + bob + " at 127.0.0.1:22400\n");
        assertThat(ana.run("sync", "add-peer", bob, "bob.local:22401").out())
                .isEqualTo("peer " + bob + " moved from 127.0.0.1:22400 to bob.local:22401\n");
        JsonNode peers = new ObjectMapper().readTree(ana.run("sync", "peers", "--json").out());
        assertThat(peers).hasSize(1);
        assertThat(peers.get(0).get("id").asText()).isEqualTo(bob);
        assertThat(peers.get(0).get("address").asText()).isEqualTo("bob.local:22401");
        assertThat(ana.run("sync", "peers").out()).contains(bob).contains("bob.local:22401");

        assertThat(ana.run("sync", "remove-peer", bob).out()).isEqualTo("removed peer " + bob + "\n");
        Result again = ana.run("sync", "remove-peer", bob);
        assertThat(again.code()).isEqualTo(15);
        assertThat(again.err()).contains("no peer " + bob);
        assertThat(ana.run("sync", "peers", "--json").out().strip()).isEqualTo("[]");
    }

    @Test
    void addPeer_refusesAMistypedId_itsOwnId_andABadAddress() {
        CliRunner ana = runner("ana");
        String own = ana.run("sync", "id").out().strip();
        String bob = runner("bob").run("sync", "id").out().strip();
        char c = bob.charAt(10);
        String typo = bob.substring(0, 10) + (c == 'K' ? 'L' : 'K') + bob.substring(11);
        Result mistyped = ana.run("sync", "add-peer", typo, "127.0.0.1:22400");
        assertThat(mistyped.code()).isEqualTo(2);
        assertThat(mistyped.err()).isEqualTo("strata: not a device ID: blocks 1 and 2 do not match their check character: "
                + "a character there is mistyped\n");
        Result self = ana.run("sync", "add-peer", own, "127.0.0.1:22400");
        assertThat(self.code()).isEqualTo(2);
        assertThat(self.err()).contains("this device's own ID");
        Result address = ana.run("sync", "add-peer", bob, "127.0.0.1");
        assertThat(address.code()).isEqualTo(2);
        assertThat(address.err()).contains("not HOST:PORT");
        assertThat(ana.run("sync", "peers", "--json").out().strip()).isEqualTo("[]");
    }

    @Test
    void status_withoutARunningProcess_saysSo_andListsThePeers() throws Exception {
        CliRunner ana = runner("ana").env("STRATA_STATE_DIR", tmp.resolve("ana-state").toString());
        String own = ana.run("sync", "id").out().strip();
        String bob = runner("bob").run("sync", "id").out().strip();
        ana.run("sync", "add-peer", bob, "127.0.0.1:22401");
        Result human = ana.run("sync", "status");
        assertThat(human.code()).isZero();
        assertThat(human.out()).contains("This device: " + own).contains("Sync: not running").contains(bob + "  127.0.0.1:22401");
        JsonNode json = new ObjectMapper().readTree(ana.run("sync", "status", "--json").out());
        assertThat(json.get("device").asText()).isEqualTo(own);
        assertThat(json.get("running").asBoolean()).isFalse();
        assertThat(json.get("peers").get(0).get("connected").asBoolean()).isFalse();
        assertThat(json.get("peers").get(0).get("address").asText()).isEqualTo("127.0.0.1:22401");
    }

    @Test
    void run_refusesABadListenAddress_andWantsARepository() {
        CliRunner ana = runner("ana").password("pw");
        Result listen = ana.run("sync", "run", "--listen", "nowhere");
        assertThat(listen.code()).isEqualTo(2);
        assertThat(listen.err()).contains("--listen: not HOST:PORT: 'nowhere'");
        Result noRepo = ana.run("sync", "run", "--listen", "127.0.0.1:0");
        assertThat(noRepo.code()).isEqualTo(10);
    }

    @Test
    void revert_isAskedOfTheSyncProcess_forAReceiveOnlyVolumeOnly() throws Exception {
        CliRunner ana = runner("ana");
        String bob = runner("bob").run("sync", "id").out().strip();
        ShareBook book = new ShareBook(tmp.resolve("ana/strata"), java.time.Clock.systemUTC());
        book.put(new ShareBook.Share("docs", "00112233445566778899aabbccddeeff", ShareBook.Mode.TWO_WAY,
                java.util.List.of(DeviceId.parse(bob)), null, java.time.Instant.now()));
        book.put(new ShareBook.Share("inbox", "ffeeddccbbaa99887766554433221100", ShareBook.Mode.RECEIVE_ONLY,
                java.util.List.of(DeviceId.parse(bob)), DeviceId.parse(bob), java.time.Instant.now()));

        Result unknown = ana.run("sync", "revert", "nothing");
        assertThat(unknown.code()).isEqualTo(15);
        assertThat(unknown.err()).contains("volume 'nothing' is not shared with or joined from any device here");
        Result twoWay = ana.run("sync", "revert", "docs");
        assertThat(twoWay.code()).isEqualTo(2);
        assertThat(twoWay.err()).contains("volume 'docs' is two-way on this device");
        assertThat(book.find("docs").orElseThrow().revert()).isNull();

        Result asked = ana.run("sync", "revert", "inbox");
        assertThat(asked.code()).as(asked.err()).isZero();
        assertThat(asked.out()).startsWith("reverting volume inbox: ");
        assertThat(book.find("inbox").orElseThrow().revert()).isNotNull();
        assertThat(book.find("inbox").orElseThrow().mode()).isEqualTo(ShareBook.Mode.RECEIVE_ONLY);
    }

    private CliRunner runner(String who) {
        return new CliRunner(tmp.resolve(who + "-repo"), tmp.resolve(who + "-cache")).env("XDG_CONFIG_HOME", tmp.resolve(who).toString());
    }
}
