package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * ipam-bom has no parent (a BOM user should get versions, not ipam-parent's build), so nothing
 * keeps it in step by itself: its version, the modules it pins and the framework versions must be
 * ipam-parent's.
 */
class BomTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theBomPinsEveryModuleAtTheParentsVersionAndTheParentsFrameworks() throws Exception {
    Document parent = parse(ROOT.resolve("pom.xml"));
    Document bom = parse(ROOT.resolve("ipam-bom/pom.xml"));

    assertThat(text(bom.getDocumentElement(), "version"))
        .isEqualTo(text(parent.getDocumentElement(), "version"));
    List<String> modules = texts(parent, "module");
    assertThat(modules).contains("ipam-bom");
    List<String> pinned = new ArrayList<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      if (text(dependency, "groupId").equals("org.ipam")) {
        assertThat(text(dependency, "version")).isEqualTo("${project.version}");
        pinned.add(text(dependency, "artifactId"));
      }
    }
    assertThat(pinned).containsAll(modules.stream().filter(m -> !m.equals("ipam-bom")).toList());
    for (String property : List.of("fabric8.version", "josdk.version")) {
      assertThat(texts(bom, property)).isEqualTo(texts(parent, property));
    }
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  /** The text of the element's direct child of that name. */
  private static String text(Element element, String child) {
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  private static List<String> texts(Document document, String tag) {
    NodeList nodes = document.getElementsByTagName(tag);
    List<String> result = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      result.add(nodes.item(i).getTextContent().trim());
    }
    return result;
  }
}
