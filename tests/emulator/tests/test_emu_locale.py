"""zh-CN output and OEM code pages (format doc §7, EXIT_AND_SCRIPTS.md §5)."""

from __future__ import annotations


def _line(label: str, value: str) -> str:
    return label.ljust(23) + ": " + value


def test_zh_cn_labels_values_and_cp936(emu):
    emu.ok("add filter filterlist=Web srcaddr=any dstaddr=me protocol=tcp dstport=80")
    emu.ok("add filter filterlist=Web srcaddr=10.0.0.1 dstaddr=any mirrored=no")
    raw = emu("show filterlist Web level=verbose", NETSH_EMU_LANG="zh-CN").raw
    text = raw.decode("cp936")
    # the label column counts characters (CJK included): emulator choice, the real padding of
    # localised labels is UNKNOWN and readers must accept any padding (format doc §1)
    assert text == "\r\n".join([
        "",
        _line("筛选器列表名称", "Web"),
        _line("描述", "无"),
        "Store                  : Local Store <WIN-EMULATED>",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "GUID                   : {00000000-0000-4000-8000-000000000001}",
        "No. of Filters         : 2",
        "Filter(s)",
        "---------",
        _line("描述", "无"),
        _line("已镜像", "是"),
        _line("源 IP 地址", "<任何 IP 地址>"),
        _line("源掩码", "0.0.0.0"),
        _line("源 DNS 名称", "<任何 IP 地址>"),
        _line("目标 IP 地址", "<我的 IP 地址>"),
        _line("目标 DNS 名称", "<我的 IP 地址>"),
        _line("协议", "TCP"),
        _line("源端口", "任何"),
        _line("目标端口", "80"),
        "",
        _line("描述", "无"),
        _line("已镜像", "否"),
        _line("源 IP 地址", "10.0.0.1"),
        _line("源掩码", "255.255.255.255"),
        _line("源 DNS 名称", "10.0.0.1"),
        _line("目标 IP 地址", "<任何 IP 地址>"),
        _line("目标掩码", "0.0.0.0"),
        _line("目标 DNS 名称", "<任何 IP 地址>"),
        _line("协议", "任何"),
        _line("源端口", "任何"),
        _line("目标端口", "任何"),
        "",
    ])
    assert raw == text.encode("cp936")


def test_zh_cn_policy_assigned_label(emu):
    emu.ok("add policy P assign=yes")
    text = emu("show policy all", NETSH_EMU_LANG="zh-CN").raw.decode("cp936")
    assert _line("已分配", "是") + "\r\n" in text
    assert "Policy Name            : P\r\n" in text and "Master PFS             : 否\r\n" in text


def test_zh_cn_usage_and_help(emu):
    res = emu("add filterlist", NETSH_EMU_LANG="zh-CN")
    text = res.raw.decode("cp936")
    assert res.rc == 1 and text.startswith("\r\n用法:\r\n  filterlist [ name = ] <string>\r\n")
    assert text.endswith("示例: add filterlist Filter1\r\n")
    text = emu("show", NETSH_EMU_LANG="zh-CN").raw.decode("cp936")
    assert text.startswith("\r\n下列指令有效:\r\n\r\n此上下文中的命令:\r\nshow all       - 显示所有策略的详细信息及相关信息。\r\n")
    # no zh-CN capture for set usage: English
    assert emu("set batch", NETSH_EMU_LANG="zh-CN").raw.startswith(b"\r\nUsage:\r\n")


def test_codepage_override(emu):
    emu.ok("add policy P")
    assert emu("show policy all", NETSH_EMU_LANG="zh-CN", NETSH_EMU_CODEPAGE="65001").raw.decode("utf-8") \
        .count("否") == 2
    assert "Assigned" in emu("show policy all", NETSH_EMU_CODEPAGE="850").raw.decode("cp850")


def test_errors_stay_english_in_zh_cn(emu):
    res = emu("show policy all", NETSH_EMU_LANG="zh-CN")
    assert res.raw == b"ERR IPsec[05072] : No Policies in Policy Store.\r\n"
