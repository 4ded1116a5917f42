"""npm dependency files: package.json, package-lock.json v1-v3, yarn.lock (classic and berry),
pnpm-lock.yaml (v5, v6, v9), node_modules. Inputs are written to match each tool's real output:
workspaces, aliases (`npm:`), git and URL dependencies, dev-only packages."""

# ruff: noqa: E501 (lockfile lines are as long as the tools write them: hashes, URLs)

from __future__ import annotations

import textwrap

from faasguard.analysis.deps import npm
from faasguard.analysis.deps.inventory import closure
from faasguard.analysis.deps.model import DepFile, Package


def _at(dep: DepFile, node: str) -> Package:
    return dep.nodes()[node]


def _shipped(dep: DepFile, importer: str) -> set[tuple[str, str | None]]:
    keep, _ = closure(dep, dep.importers[importer])
    return {(p.name, p.version) for p in dep.packages if p.node in keep}


PACKAGE_JSON = textwrap.dedent(
    """\
    {
      "name": "acme-reports",
      "version": "1.0.0",
      "private": true,
      "workspaces": ["packages/*"],
      "dependencies": {
        "lodash": "4.17.15",
        "lodash4": "npm:lodash@^4.17.0",
        "node-serialize": "0.0.4",
        "express": "^4.17.1",
        "mylib": "github:acme/mylib#v1",
        "tarball": "https://example.com/tarball-1.0.0.tgz",
        "shared": "workspace:*",
        "local": "file:../local"
      },
      "optionalDependencies": {
        "fsevents": "~2.3.2"
      },
      "devDependencies": {
        "jest": "^29.0.0"
      }
    }
    """
)


def test_package_json() -> None:
    dep, doc = npm.parse_package_json("reports/package.json", PACKAGE_JSON)
    got = {p.import_names[0]: p for p in dep.packages}
    assert "jest" not in got  # devDependencies are not shipped
    assert (got["lodash"].version, got["lodash"].source.line) == ("4.17.15", 7)
    assert (got["lodash4"].name, got["lodash4"].spec, got["lodash4"].version) == ("lodash", "^4.17.0", None)
    assert got["express"].spec == "^4.17.1" and got["express"].version is None
    assert got["mylib"].origin == "git" and not got["mylib"].public
    assert got["tarball"].origin == "url"
    assert got["shared"].origin == "workspace" and got["local"].origin == "path"
    assert got["fsevents"].source.line == 17
    assert npm.workspace_globs(doc) == ["packages/*"]


LOCK_V1 = textwrap.dedent(
    """\
    {
      "name": "acme-reports",
      "version": "1.0.0",
      "lockfileVersion": 1,
      "requires": true,
      "dependencies": {
        "debug": {
          "version": "4.1.1",
          "resolved": "https://registry.npmjs.org/debug/-/debug-4.1.1.tgz",
          "integrity": "sha512-pYAIzeRo8J6KPEaJ0VWOh5Pzkbw/RetuzehGM7QRRX5he4fPHx2rdKMB256ehJCkX+XRQm16eZLqLNS8RSZXZw==",
          "requires": {
            "ms": "^2.1.1"
          }
        },
        "express": {
          "version": "4.17.1",
          "resolved": "https://registry.npmjs.org/express/-/express-4.17.1.tgz",
          "integrity": "sha512-mHJ9O79RqluphRrcw2X/GTh3k9tVv8YcoyY4Kkh4WDMUYKRZUq0h1o0w2rrrxBqM7VoeUVqgb27xlEMXTnYt4g==",
          "requires": {
            "debug": "2.6.9"
          },
          "dependencies": {
            "debug": {
              "version": "2.6.9",
              "resolved": "https://registry.npmjs.org/debug/-/debug-2.6.9.tgz",
              "integrity": "sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==",
              "requires": {
                "ms": "2.0.0"
              }
            },
            "ms": {
              "version": "2.0.0",
              "resolved": "https://registry.npmjs.org/ms/-/ms-2.0.0.tgz",
              "integrity": "sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g="
            }
          }
        },
        "jest": {
          "version": "24.9.0",
          "resolved": "https://registry.npmjs.org/jest/-/jest-24.9.0.tgz",
          "integrity": "sha512-YvkBL1Zm7d2B1+h5fHEOdyjCG+sGMz4f8D86/0HiqJ6MB4MnDc8FgP5vdWsGnemOQro7lnYo8UakZ3+5A0jxGw==",
          "dev": true
        },
        "lodash4": {
          "version": "npm:lodash@4.17.15",
          "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz",
          "integrity": "sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A=="
        },
        "ms": {
          "version": "2.1.2",
          "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.2.tgz",
          "integrity": "sha512-sGkPx+VjMtmA6MX27oA4FBFELFCZZ4S4XqeGOXCv68tT+jb3vk/RyaKWP0PTKyWtmLSM0b+adUTEvbs1PEaH2w=="
        },
        "mylib": {
          "version": "github:acme/mylib#9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e",
          "from": "github:acme/mylib#v1"
        },
        "private-utils": {
          "version": "2.0.0",
          "resolved": "https://npm.acme.internal/private-utils/-/private-utils-2.0.0.tgz",
          "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
        }
      }
    }
    """
)


def test_package_lock_v1_nesting_aliases_git_dev() -> None:
    dep = npm.parse_package_lock("reports/package-lock.json", LOCK_V1)
    assert dep.graph and dep.lock
    nested = _at(dep, "node_modules/express/node_modules/debug")
    assert (nested.version, nested.source.line) == ("2.6.9", 24)
    # express needs debug 2.6.9: its own nested copy, not the hoisted 4.1.1
    assert _at(dep, "node_modules/express").requires == ("node_modules/express/node_modules/debug",)
    assert _at(dep, "node_modules/express/node_modules/debug").requires == (
        "node_modules/express/node_modules/ms",
    )
    assert _at(dep, "node_modules/debug").requires == ("node_modules/ms",)
    alias = _at(dep, "node_modules/lodash4")
    assert (alias.name, alias.version, alias.import_names) == ("lodash", "4.17.15", ("lodash4",))
    assert _at(dep, "node_modules/jest").dev
    git = _at(dep, "node_modules/mylib")
    assert (git.origin, git.version, git.public) == ("git", None, False)
    private = _at(dep, "node_modules/private-utils")
    assert (private.origin, private.public) == ("registry", False)


LOCK_V3_WORKSPACES = textwrap.dedent(
    """\
    {
      "name": "acme",
      "version": "1.0.0",
      "lockfileVersion": 3,
      "requires": true,
      "packages": {
        "": {
          "name": "acme",
          "version": "1.0.0",
          "workspaces": [
            "packages/*"
          ],
          "devDependencies": {
            "jest": "^29.7.0"
          }
        },
        "node_modules/@acme/orders": {
          "resolved": "packages/orders",
          "link": true
        },
        "node_modules/@acme/shared": {
          "resolved": "packages/shared",
          "link": true
        },
        "node_modules/jest": {
          "version": "29.7.0",
          "resolved": "https://registry.npmjs.org/jest/-/jest-29.7.0.tgz",
          "integrity": "sha512-NIy3oAFp9shda19hy4HK0HRTWKtPJmGdnvywu01nOqNC2vZg+Z+fvJDxpMQA88eb2I9EcafcdjYgsDthnYTvGw==",
          "dev": true
        },
        "node_modules/lodash": {
          "version": "4.17.21",
          "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
          "integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="
        },
        "node_modules/lodash-old": {
          "name": "lodash",
          "version": "4.17.15",
          "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz",
          "integrity": "sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A=="
        },
        "node_modules/node-serialize": {
          "version": "0.0.4",
          "resolved": "https://registry.npmjs.org/node-serialize/-/node-serialize-0.0.4.tgz",
          "integrity": "sha512-KPpSK2qrRK4iC1UnUKtJtb6V5j4AM5uFoQJHeHVJEwNahy9mp0rVGeGdHZcUCrYuY3AaJk1ocQN+k2C1Z1y71w=="
        },
        "node_modules/mylib": {
          "version": "1.0.0",
          "resolved": "git+ssh://git@github.com/acme/mylib.git#9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e",
          "license": "UNLICENSED"
        },
        "packages/orders": {
          "name": "@acme/orders",
          "version": "1.0.0",
          "dependencies": {
            "@acme/shared": "*",
            "lodash-old": "npm:lodash@4.17.15",
            "mylib": "github:acme/mylib"
          }
        },
        "packages/orders/node_modules/lodash": {
          "version": "4.17.19",
          "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.19.tgz",
          "integrity": "sha512-JNvd8XER9GQX0v2qJgsaN/mzFCNA5BRe/j8JN9d+tWyGLSodKQHKFicdwNYzWwI3wjRnaKPsGj1XkBjx/F96DQ=="
        },
        "packages/shared": {
          "name": "@acme/shared",
          "version": "1.0.0",
          "dependencies": {
            "lodash": "^4.17.19",
            "node-serialize": "0.0.4"
          }
        },
        "packages/other": {
          "name": "@acme/other",
          "version": "1.0.0",
          "dependencies": {
            "lodash": "^4.17.21"
          }
        }
      }
    }
    """
)


def test_package_lock_v3_workspaces_links_aliases() -> None:
    dep = npm.parse_package_lock("package-lock.json", LOCK_V3_WORKSPACES)
    assert set(dep.importers) == {".", "packages/orders", "packages/shared", "packages/other"}
    assert dep.importers["packages/orders"] == [
        "@importer:packages/shared",
        "node_modules/lodash-old",
        "node_modules/mylib",
    ]
    # shared resolves lodash from its own folder upward: the root copy
    assert dep.importers["packages/shared"] == ["node_modules/lodash", "node_modules/node-serialize"]
    shipped = _shipped(dep, "packages/orders")
    assert shipped == {
        ("lodash", "4.17.15"),
        ("mylib", "1.0.0"),
        ("lodash", "4.17.21"),
        ("node-serialize", "0.0.4"),
    }
    assert ("jest", "29.7.0") not in shipped
    alias = _at(dep, "node_modules/lodash-old")
    assert (alias.name, alias.import_names, alias.source.line) == ("lodash", ("lodash-old",), 38)
    assert _at(dep, "node_modules/mylib").origin == "git"
    assert _shipped(dep, "packages/other") == {("lodash", "4.17.21")}


LOCK_V2 = textwrap.dedent(
    """\
    {
      "name": "reports",
      "version": "1.0.0",
      "lockfileVersion": 2,
      "requires": true,
      "packages": {
        "": {
          "name": "reports",
          "version": "1.0.0",
          "dependencies": {
            "node-serialize": "0.0.4"
          }
        },
        "node_modules/node-serialize": {
          "version": "0.0.4",
          "resolved": "https://registry.npmjs.org/node-serialize/-/node-serialize-0.0.4.tgz",
          "integrity": "sha512-KPpSK2qrRK4iC1UnUKtJtb6V5j4AM5uFoQJHeHVJEwNahy9mp0rVGeGdHZcUCrYuY3AaJk1ocQN+k2C1Z1y71w=="
        }
      },
      "dependencies": {
        "node-serialize": {
          "version": "0.0.4",
          "resolved": "https://registry.npmjs.org/node-serialize/-/node-serialize-0.0.4.tgz",
          "integrity": "sha512-KPpSK2qrRK4iC1UnUKtJtb6V5j4AM5uFoQJHeHVJEwNahy9mp0rVGeGdHZcUCrYuY3AaJk1ocQN+k2C1Z1y71w=="
        }
      }
    }
    """
)


def test_package_lock_v2_reads_packages_not_the_legacy_section() -> None:
    dep = npm.parse_package_lock("package-lock.json", LOCK_V2)
    assert [(p.name, p.version, p.source.line) for p in dep.packages] == [("node-serialize", "0.0.4", 15)]
    assert dep.importers == {".": ["node_modules/node-serialize"]}


YARN_CLASSIC = textwrap.dedent(
    """\
    # THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
    # yarn lockfile v1


    "@babel/code-frame@^7.0.0":
      version "7.10.4"
      resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz#168da1a36e90da68ae8d49c0f1b48c7c6249213a"
      integrity sha512-vG6SvB6oYEhvgisZNFRmRCUkLz11c7rp+tbNTynGqc6mS1d5ATd/sGyV6W0KZZnXRKMTzZDRgQT3Ou9jhpAfUg==
      dependencies:
        "@babel/highlight" "^7.10.4"

    "@babel/highlight@^7.10.4":
      version "7.10.4"
      resolved "https://registry.yarnpkg.com/@babel/highlight/-/highlight-7.10.4.tgz#7d1bdfd65753538fabe6c38596cdb76d9ac60143"
      integrity sha512-i6rgnR/YgPEQzZZnbTHHuZdlE8qyoBNalD6F+q4vAFlcMEcqmkoG+mPqJYJCo63qPf74+Y1UZsl3l6f7/RIkmA==

    lodash4@npm:lodash@4.17.15, lodash@4.17.15:
      version "4.17.15"
      resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.15.tgz#b447f6670a0455bbfeedd11392eff330ea097548"
      integrity sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==

    "mylib@github:acme/mylib#v1":
      version "1.0.0"
      resolved "https://codeload.github.com/acme/mylib/tar.gz/9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e"

    node-serialize@0.0.4:
      version "0.0.4"
      resolved "https://registry.yarnpkg.com/node-serialize/-/node-serialize-0.0.4.tgz#7ccd6ecc8bd68a76dfa9c6e5ee5e1a0ba5bb5a46"
      integrity sha1-fM1uzIvWinbfqcbl7l4aC6W7WkY=
    """
)


def test_yarn_classic() -> None:
    dep = npm.parse_yarn_lock("yarn.lock", YARN_CLASSIC)
    assert dep.errors == []
    lodash = _at(dep, "lodash4@npm:lodash@4.17.15")
    assert (lodash.name, lodash.version, lodash.source.line) == ("lodash", "4.17.15", 18)
    assert set(lodash.import_names) == {"lodash", "lodash4"}
    assert dep.index["lodash@4.17.15"] == "lodash4@npm:lodash@4.17.15"
    frame = _at(dep, "@babel/code-frame@^7.0.0")
    assert frame.name == "@babel/code-frame" and frame.requires == ("@babel/highlight@^7.10.4",)
    git = _at(dep, "mylib@github:acme/mylib#v1")
    assert (git.origin, git.public) == ("git", False)
    assert _at(dep, "node-serialize@0.0.4").source.line == 27


YARN_BERRY = textwrap.dedent(
    """\
    # This file is generated by running "yarn install" inside your project.
    # Manual changes might be lost - proceed with caution!

    __metadata:
      version: 8
      cacheKey: 10c0

    "@acme/orders@workspace:packages/orders":
      version: 0.0.0-use.local
      resolution: "@acme/orders@workspace:packages/orders"
      dependencies:
        "@acme/shared": "workspace:*"
        lodash4: "npm:lodash@4.17.15"
        mylib: "https://github.com/acme/mylib.git#commit=9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e"
      languageName: unknown
      linkType: soft

    "@acme/shared@workspace:*, @acme/shared@workspace:packages/shared":
      version: 0.0.0-use.local
      resolution: "@acme/shared@workspace:packages/shared"
      dependencies:
        node-serialize: "npm:0.0.4"
      languageName: unknown
      linkType: soft

    "acme@workspace:.":
      version: 0.0.0-use.local
      resolution: "acme@workspace:."
      languageName: unknown
      linkType: soft

    "lodash4@npm:lodash@4.17.15":
      version: 4.17.15
      resolution: "lodash@npm:4.17.15"
      checksum: 10c0/c029ab298357d007252d5802348f1deb343099ba734ae6e6776a908e4995db5b8ed2ae38ff74d04e2d7dd2a32de8b2b68b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b
      languageName: node
      linkType: hard

    "mylib@https://github.com/acme/mylib.git#commit=9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e":
      version: 1.0.0
      resolution: "mylib@https://github.com/acme/mylib.git#commit=9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e"
      checksum: 10c0/0a1b2c
      languageName: node
      linkType: hard

    "node-serialize@npm:0.0.4":
      version: 0.0.4
      resolution: "node-serialize@npm:0.0.4"
      checksum: 10c0/1f2e3d
      languageName: node
      linkType: hard
    """
)


def test_yarn_berry_workspaces_alias_git() -> None:
    dep = npm.parse_yarn_lock("yarn.lock", YARN_BERRY)
    assert dep.errors == []
    assert dep.importers["packages/orders"] == [
        "@importer:packages/shared",
        "lodash4@npm:lodash@4.17.15",
        "mylib@https://github.com/acme/mylib.git#commit=9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e",
    ]
    alias = _at(dep, "lodash4@npm:lodash@4.17.15")
    assert (alias.name, alias.version, alias.import_names, alias.source.line) == (
        "lodash",
        "4.17.15",
        ("lodash4",),
        33,
    )
    assert _at(dep, next(n for n in dep.nodes() if n.startswith("mylib@"))).origin == "git"
    assert _shipped(dep, "packages/orders") == {
        ("lodash", "4.17.15"),
        ("mylib", "1.0.0"),
        ("node-serialize", "0.0.4"),
    }
    assert _shipped(dep, ".") == set()


PNPM_V5 = textwrap.dedent(
    """\
    lockfileVersion: 5.4

    specifiers:
      express: ^4.17.1
      lodash: 4.17.15

    dependencies:
      express: 4.17.1
      lodash: 4.17.15

    devDependencies:
      jest: 29.7.0

    packages:

      /debug/2.6.9:
        resolution: {integrity: sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==}
        dependencies:
          ms: 2.0.0
        dev: false

      /express/4.17.1:
        resolution: {integrity: sha512-mHJ9O79RqluphRrcw2X/GTh3k9tVv8YcoyY4Kkh4WDMUYKRZUq0h1o0w2rrrxBqM7VoeUVqgb27xlEMXTnYt4g==}
        engines: {node: '>= 0.10.0'}
        dependencies:
          debug: 2.6.9
        dev: false

      /jest/29.7.0:
        resolution: {integrity: sha512-NIy3oAFp9shda19hy4HK0HRTWKtPJmGdnvywu01nOqNC2vZg+Z+fvJDxpMQA88eb2I9EcafcdjYgsDthnYTvGw==}
        dev: true

      /lodash/4.17.15:
        resolution: {integrity: sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==}
        dev: false

      /ms/2.0.0:
        resolution: {integrity: sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g=}
        dev: false
    """
)


def test_pnpm_v5() -> None:
    dep = npm.parse_pnpm_lock("pnpm-lock.yaml", PNPM_V5)
    assert dep.importers["."] == ["/express/4.17.1", "/lodash/4.17.15"]
    assert _at(dep, "/lodash/4.17.15").source.line == 33
    assert _at(dep, "/jest/29.7.0").dev
    assert _shipped(dep, ".") == {
        ("express", "4.17.1"),
        ("debug", "2.6.9"),
        ("ms", "2.0.0"),
        ("lodash", "4.17.15"),
    }


PNPM_V6 = textwrap.dedent(
    """\
    lockfileVersion: '6.0'

    settings:
      autoInstallPeers: true
      excludeLinksFromLockfile: false

    importers:

      .:
        devDependencies:
          jest:
            specifier: ^29.7.0
            version: 29.7.0

      packages/orders:
        dependencies:
          '@acme/shared':
            specifier: workspace:*
            version: link:../shared
          lodash4:
            specifier: npm:lodash@4.17.15
            version: /lodash@4.17.15
          react-dom:
            specifier: ^18.2.0
            version: 18.2.0(react@18.2.0)

      packages/shared:
        dependencies:
          node-serialize:
            specifier: 0.0.4
            version: 0.0.4

    packages:

      /jest@29.7.0:
        resolution: {integrity: sha512-NIy3oAFp9shda19hy4HK0HRTWKtPJmGdnvywu01nOqNC2vZg+Z+fvJDxpMQA88eb2I9EcafcdjYgsDthnYTvGw==}
        dev: true

      /lodash@4.17.15:
        resolution: {integrity: sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==}
        dev: false

      /node-serialize@0.0.4:
        resolution: {integrity: sha512-KPpSK2qrRK4iC1UnUKtJtb6V5j4AM5uFoQJHeHVJEwNahy9mp0rVGeGdHZcUCrYuY3AaJk1ocQN+k2C1Z1y71w==}
        dev: false

      /react-dom@18.2.0(react@18.2.0):
        resolution: {integrity: sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==}
        peerDependencies:
          react: ^18.2.0
        dependencies:
          react: 18.2.0
        dev: false

      /react@18.2.0:
        resolution: {integrity: sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==}
        dev: false
    """
)


def test_pnpm_v6_workspaces_alias_peers() -> None:
    dep = npm.parse_pnpm_lock("pnpm-lock.yaml", PNPM_V6)
    assert dep.importers["packages/orders"] == [
        "@importer:packages/shared",
        "/lodash@4.17.15",
        "/react-dom@18.2.0(react@18.2.0)",
    ]
    lodash = _at(dep, "/lodash@4.17.15")
    assert (lodash.name, lodash.version, lodash.source.line) == ("lodash", "4.17.15", 39)
    assert set(lodash.import_names) == {"lodash", "lodash4"}
    react_dom = _at(dep, "/react-dom@18.2.0(react@18.2.0)")
    assert (react_dom.name, react_dom.version) == ("react-dom", "18.2.0")
    assert _shipped(dep, "packages/orders") == {
        ("lodash", "4.17.15"),
        ("react-dom", "18.2.0"),
        ("react", "18.2.0"),
        ("node-serialize", "0.0.4"),
    }


PNPM_V9 = textwrap.dedent(
    """\
    lockfileVersion: '9.0'

    settings:
      autoInstallPeers: true
      excludeLinksFromLockfile: false

    importers:

      .:
        dependencies:
          express:
            specifier: ^4.17.1
            version: 4.17.1
          lodash4:
            specifier: npm:lodash@4.17.15
            version: lodash@4.17.15
          mylib:
            specifier: github:acme/mylib#v1
            version: https://codeload.github.com/acme/mylib/tar.gz/9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e
        devDependencies:
          jest:
            specifier: ^29.7.0
            version: 29.7.0

    packages:

      debug@2.6.9:
        resolution: {integrity: sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==}

      express@4.17.1:
        resolution: {integrity: sha512-mHJ9O79RqluphRrcw2X/GTh3k9tVv8YcoyY4Kkh4WDMUYKRZUq0h1o0w2rrrxBqM7VoeUVqgb27xlEMXTnYt4g==}
        engines: {node: '>= 0.10.0'}

      jest@29.7.0:
        resolution: {integrity: sha512-NIy3oAFp9shda19hy4HK0HRTWKtPJmGdnvywu01nOqNC2vZg+Z+fvJDxpMQA88eb2I9EcafcdjYgsDthnYTvGw==}

      lodash@4.17.15:
        resolution: {integrity: sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==}

      mylib@https://codeload.github.com/acme/mylib/tar.gz/9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e:
        resolution: {tarball: https://codeload.github.com/acme/mylib/tar.gz/9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e}
        version: 1.0.0

    snapshots:

      debug@2.6.9: {}

      express@4.17.1:
        dependencies:
          debug: 2.6.9

      jest@29.7.0: {}

      lodash@4.17.15: {}

      mylib@https://codeload.github.com/acme/mylib/tar.gz/9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e: {}
    """
)


def test_pnpm_v9_snapshots_alias_git() -> None:
    dep = npm.parse_pnpm_lock("pnpm-lock.yaml", PNPM_V9)
    lodash = _at(dep, "lodash@4.17.15")
    assert (lodash.name, lodash.version, lodash.source.line) == ("lodash", "4.17.15", 37)
    assert set(lodash.import_names) == {"lodash", "lodash4"}
    assert _at(dep, "express@4.17.1").requires == ("debug@2.6.9",)
    git = next(p for p in dep.packages if p.name == "mylib")
    assert (git.version, git.origin, git.public) == ("1.0.0", "git", False)
    assert _shipped(dep, ".") == {
        ("express", "4.17.1"),
        ("debug", "2.6.9"),
        ("lodash", "4.17.15"),
        ("mylib", "1.0.0"),
    }


def test_node_modules_tree() -> None:
    manifests = [
        (
            "node_modules/express",
            "src/node_modules/express/package.json",
            '{"name": "express",\n "version": "4.17.1",\n "dependencies": {"debug": "2.6.9"}}',
        ),
        (
            "node_modules/express/node_modules/debug",
            "src/node_modules/express/node_modules/debug/package.json",
            '{"name": "debug", "version": "2.6.9"}',
        ),
        (
            "node_modules/debug",
            "src/node_modules/debug/package.json",
            '{"name": "debug", "version": "4.1.1"}',
        ),
        (
            "node_modules/@acme/x",
            "src/node_modules/@acme/x/package.json",
            '{"name": "@acme/x",\n\n "version": "1.0.0"}',
        ),
    ]
    packages, errors = npm.parse_node_modules(manifests)
    assert errors == []
    got = {p.node: p for p in packages}
    assert got["node_modules/express"].requires == ("node_modules/express/node_modules/debug",)
    assert (got["node_modules/express"].source.line, got["node_modules/@acme/x"].source.line) == (2, 3)
    assert got["node_modules/@acme/x"].import_names == ("@acme/x",)


def test_malformed_files_become_errors() -> None:
    assert npm.parse_package_lock("package-lock.json", "{not json").errors
    assert npm.parse_pnpm_lock("pnpm-lock.yaml", "a: [unclosed").errors
    assert npm.parse_package_json("package.json", "{")[0].errors
