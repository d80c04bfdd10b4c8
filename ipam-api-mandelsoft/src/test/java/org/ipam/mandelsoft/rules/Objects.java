package org.ipam.mandelsoft.rules;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestSpec;
import org.ipam.mandelsoft.model.ObjectReference;

/** Test objects. */
final class Objects {
  private Objects() {}

  static IPAMRange range(Integer chunkSize, String mode, String... ranges) {
    IPAMRange range = new IPAMRange();
    range.setMetadata(new ObjectMetaBuilder().withNamespace("default").withName("pool").build());
    IPAMRangeSpec spec = new IPAMRangeSpec();
    spec.setRanges(ranges == null ? null : List.of(ranges));
    spec.setChunkSize(chunkSize);
    spec.setMode(mode);
    range.setSpec(spec);
    return range;
  }

  static IPAMRequest request(String ipam, String namespace, Integer size, String request) {
    IPAMRequest req = new IPAMRequest();
    req.setMetadata(new ObjectMetaBuilder().withNamespace("default").withName("req").build());
    IPAMRequestSpec spec = new IPAMRequestSpec();
    spec.setIpam(ipam == null ? null : new ObjectReference(ipam, namespace));
    spec.setSize(size);
    spec.setRequest(request);
    req.setSpec(spec);
    return req;
  }
}
