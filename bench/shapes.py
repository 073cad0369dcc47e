"""Real-documentation corpus shapes for the search benchmark, and judged queries.

Each shape is a deterministic list of `Doc`s (path, title, tags, sections), the
same data the indexer receives from the content pipeline, built without
rendering so that 40,000 pages take seconds:

- `cheatsheet`: one wiki of small (~1 KB) single-section pages that share a
  small vocabulary, named `<tool>-<subcommand>.md` (tldr-pages shape), with a
  few pages in French, Chinese and Japanese under `pages.<lang>/`;
- `longdocs`: one wiki of long pages with many sections (community-repo
  shape), named after their title (`api-conventions.md`).

`JUDGED` lists queries with the page a reader expects first, per shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import SimpleNamespace

TOOLS = (
    "git ping curl tar ssh docker kubectl npm pip grep sed awk find rsync nmap "
    "ffmpeg openssl systemctl journalctl impacket aws gcloud terraform ansible "
    "helm podman zip unzip gzip chmod chown cron make cmake gcc python node "
    "java cargo rustup go yarn brew apt dnf pacman snap flatpak mysql psql "
    "redis mongo sqlite vim emacs nano tmux screen less cat head tail sort uniq "
    "wc cut tr xargs jq yq base64 dig nslookup traceroute netstat ss ip "
    "iptables ufw wget scp sftp ftp lsof ps top htop kill pkill df du mount "
    "umount fdisk mkfs lsblk dd losetup useradd passwd sudo su env export"
).split()
SUBS = (
    "add rebase patch log show status commit push pull fetch merge branch tag "
    "stash reset revert clone init config diff blame bisect archive clean "
    "describe grep notes prune remote submodule worktree list create delete "
    "update install remove search info run exec build start stop restart "
    "enable disable reload inspect logs attach cp rm rename move copy sync "
    "check verify sign encrypt decrypt export import backup restore login "
    "logout auth token scan probe trace watch monitor query dump load test "
    "bench serve deploy rollback scale describe apply get set edit upgrade "
    "downgrade freeze lock unlock wait kill ping version help compose volume "
    "network secret context plugin profile cache mirror proxy record replay "
    "split join format parse convert compress extract mount sort filter"
).split()
VERBS = (
    "Create List Show Delete Update Display Print Start Stop Check Remove "
    "Copy Move Find Change Set Get Open Close Send Download Upload Run"
).split()
OBJECTS = (
    "a file|the archive|all branches|the current directory|a remote host|"
    "the configuration|every container|the log output|a new user|the cache|"
    "hidden files|a specific version|the default profile|network interfaces|"
    "running processes|the commit history|a compressed archive|the index"
).split("|")
ZH = [
    "创建一个新的压缩文件",
    "列出所有正在运行的容器",
    "显示帮助信息",
    "删除本地分支",
    "查看提交历史",
    "下载远程文件",
    "更新软件包索引",
    "检查网络连接",
]
JA = [
    "新しいアーカイブを作成する",
    "実行中のコンテナを一覧表示する",
    "ヘルプを表示する",
    "ローカルブランチを削除する",
    "コミット履歴を表示する",
    "ネットワーク接続を確認する",
]
FR = [
    "Créer une archive compressée",
    "Afficher l'aide détaillée",
    "Supprimer une branche locale",
    "Vérifier la connexion réseau",
    "Télécharger un fichier distant",
    "Mettre à jour l'index des paquets",
]
TOPICS = (
    "api conventions deploy checklist release process code review onboarding "
    "guide incident response data retention access control backup policy "
    "search tuning cache strategy queue workers metrics pipeline storage "
    "layout token rotation schema migrations feature flags error budgets "
    "load testing secret management log shipping tracing setup network "
    "design build system test strategy style guide rate limiting service "
    "discovery health checks upgrade path plugin system theme support "
    "translation workflow mobile layout offline mode"
).split()
PROSE = (
    "the service keeps each request small and returns a stable answer to every "
    "client while the worker drains the queue and writes metrics for the team "
    "so that a release can roll back without losing data when the cluster "
    "restarts during a deploy and the cache warms again from storage"
).split()
HEADINGS = (
    "Overview|Motivation|Configuration|Examples|Limitations|Troubleshooting|"
    "Frequently asked questions|Migration notes|Security considerations|"
    "Performance|Monitoring|Rollout plan|Alternatives considered|Glossary|"
    "Ownership|Testing|Failure modes|Capacity planning|Dependencies|History"
).split("|")


@dataclass(frozen=True, slots=True)
class Doc:
    path: str
    title: str
    tags: tuple[str, ...]
    sections: tuple
    lang: str = "en"


def _section(heading: str, anchor: str, text: str, level: int = 1):
    return SimpleNamespace(heading=heading, anchor=anchor, text=text, level=level)


def _cheat_page(rng: random.Random, name: str, lang: str) -> str:
    words = name.split("-")
    lines = [f"{words[0]} {' '.join(words[1:])}: {rng.choice(OBJECTS)} tool."]
    phrases = {"zh": ZH, "ja": JA, "fr": FR}.get(lang)
    for _ in range(rng.randint(10, 15)):
        head = (
            rng.choice(phrases)
            if phrases
            else f"{rng.choice(VERBS)} " + rng.choice(OBJECTS)
        )
        flag = rng.choice(["-v", "--all", "-r", "--force", "-n 10", "--dry-run"])
        lines.append(f"{head}: {' '.join(words)} {flag} {{{{path/to/file}}}}")
    return "\n".join(lines)


def cheatsheet(pages: int = 40_000, seed: int = 0) -> list[Doc]:
    """Small single-section pages named after commands, in a few languages."""
    rng = random.Random(seed)
    names = list(TOOLS) + ["git-rebase-patch", "impacket-ping-sweep"]
    names += [f"{t}-{s}" for s in SUBS for t in TOOLS]
    names += [f"{t}-{s}-{x}" for x in SUBS for s in SUBS[:40] for t in TOOLS[:20]]
    names = list(dict.fromkeys(names))
    docs = []
    for i, name in enumerate(names[:pages]):
        lang = {7: "fr", 13: "zh", 29: "ja"}.get(i % 50, "en") if i > 200 else "en"
        folder = "pages" if lang == "en" else f"pages.{lang}"
        platform = "linux" if i % 3 == 0 else "common"
        text = _cheat_page(rng, name, lang)
        docs.append(
            Doc(
                path=f"{folder}/{platform}/{name}.md",
                title=name,
                tags=(),
                sections=(_section(name, "", text),),
                lang=lang,
            )
        )
    return docs


def _paragraph(rng: random.Random, words: int) -> str:
    start = rng.randrange(len(PROSE))
    return " ".join(PROSE[(start + k) % len(PROSE)] for k in range(words)) + "."


def longdocs(pages: int = 2_000, seed: int = 0) -> list[Doc]:
    """Long pages (10-30 sections) titled by topic, one wiki."""
    rng = random.Random(seed)
    titles, seen = [], set()
    while len(titles) < pages:
        n = len(titles)
        pair = (
            (
                TOPICS[2 * (n % (len(TOPICS) // 2))],
                TOPICS[2 * (n % (len(TOPICS) // 2)) + 1],
            )
            if n < len(TOPICS) // 2
            else tuple(rng.sample(TOPICS, 2 + (n % 3 == 0)))
        )
        if pair not in seen:
            seen.add(pair)
            titles.append(pair)
    docs = []
    for i, words in enumerate(titles):
        title = " ".join(words).capitalize()
        slug = "-".join(words)
        area = ("guides", "reference", "adr", "runbooks")[i % 4]
        sections = [_section(title, "", _paragraph(rng, 60))]
        for k in range(rng.randint(10, 30)):
            heading = (
                f"{HEADINGS[k % len(HEADINGS)]} {k}"
                if k >= len(HEADINGS)
                else HEADINGS[k]
            )
            if k == 3:
                heading = f"{words[0].capitalize()} {words[-1]} limits"
            body = " ".join(_paragraph(rng, rng.randint(30, 70)) for _ in range(3))
            anchor = heading.lower().replace(" ", "-")
            sections.append(_section(heading, anchor, body, 2))
        docs.append(
            Doc(
                path=f"docs/{area}/{slug}.md",
                title=title,
                tags=(area,),
                sections=tuple(sections),
            )
        )
    return docs


def judged(shape: str, docs: list[Doc]) -> list[tuple[str, str]]:
    """Queries and the page a reader expects first, for one generated shape."""
    paths = {d.path for d in docs}
    by_name = {d.path.rsplit("/", 1)[1][:-3]: d.path for d in docs}
    out: list[tuple[str, str]] = []
    if shape == "cheatsheet":
        for name in [
            "ping",
            "git",
            "curl",
            "tar",
            "docker",
            "git-rebase",
            "git-rebase-patch",
            "impacket-ping",
            "docker-compose",
            "kubectl-apply",
            "ssh-add",
            "npm-install",
            "pip-freeze",
            "rsync-backup",
            "openssl-verify",
            "systemctl-restart",
            "journalctl-logs",
            "terraform-apply",
            "helm-upgrade",
            "tar-extract",
            "ffmpeg-convert",
            "nmap-scan",
            "aws-login",
            "jq-filter",
            "git-worktree",
            "docker-volume",
            "psql-dump",
            "redis-cli",
        ]:
            if name in by_name:
                out.append((name.replace("-", " "), by_name[name]))
        for name in ["git-stash", "docker-logs", "tar-compress"]:
            if name in by_name:
                out.append((f'"{name.replace("-", " ")}"', by_name[name]))
        for name in ["kubectl-get", "git-bisect"]:
            if name in by_name:
                out.append((name.replace("-", " ")[:-1], by_name[name]))  # prefix
        for phrase, lang in ((ZH[0], "zh"), (JA[0], "ja"), (ZH[4], "zh")):
            for d in docs:
                if d.lang == lang and phrase in d.sections[0].text:
                    out.append((phrase, f"{lang}:*"))
                    break
        for d in docs:  # accents: unaccented query finds the French page
            if d.lang == "fr" and "Vérifier" in d.sections[0].text:
                out.append(("verifier connexion " + d.title.split("-")[0], "fr:*"))
                break
    elif shape == "longdocs":
        for d in docs[:40]:
            out.append((d.title.lower(), d.path))
        for d in docs[:12]:
            out.append((d.sections[4].heading.lower(), d.path))
    return [(q, p) for q, p in out if p in paths or p.endswith(":*")]
