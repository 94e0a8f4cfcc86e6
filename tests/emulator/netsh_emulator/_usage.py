"""Usage texts (printed for missing required arguments or ``?``) and context help lists.

Sources:

* ``add filter``, ``add filteraction``, ``add rule`` (en-US): the [S3] UI-string texts in
  ``samples/usage__add_*__en-US__*``, with the ``<string>``/``<integer>``/``<port>``/
  ``<preshared key>``/``<certificate>`` placeholders restored from the zh-CN captures [S2], the
  truncated ends completed from the zh-CN captures, and the typographic quote U+2018 replaced by
  an ASCII apostrophe (it cannot be encoded in cp437).
* ``add policy``, ``add filterlist`` (en-US): translated back from the zh-CN captures [S2] -- the
  English resource strings are UNKNOWN.
* zh-CN ``add *``: the captures [S2] verbatim (prompt line dropped, console hard wrap undone).
* every other command: INVENTED -- a ``Usage:`` block built from the [S1] syntax (SYNTAX.md §5-§8)
  and the [S4] one-line description.
* context help lists: en-US ``show`` [S28] verbatim; the other en-US lists use the [S4] one-liners
  quoted in SYNTAX.md (layout as [S28]); zh-CN lists [S2] verbatim.

Contract: :func:`usage_text` / :func:`context_help` return the text with CRLF line endings and
one leading blank line.
"""

from __future__ import annotations

from ._show import CRLF

_EN_ADD_POLICY = """\
Usage:
  policy [ name = ] <string>
         [ [ description = ] <string> ]
         [ [ mmpfs = ] (yes | no) ]
         [ [ qmpermm = ] <integer> ]
         [ [ mmlifetime = ] <integer> ]
         [ [ activatedefaultrule = ] (yes | no) ]
         [ [ pollinginterval = ] <integer> ]
         [ [ assign = ] (yes | no) ]
         [ [ mmsecmethods = ] (sec#1 sec#2 ... sec#n) ]

  Creates a policy with the specified name.

Parameters:

  Tag                  Value
  name                 -Name of the policy.
  description          -Brief information about the policy.
  mmpfs                -Option to set master perfect forward secrecy.
  qmpermm              -Number of quick mode sessions per IKE main mode session.
  mmlifetime           -Main mode rekey time in minutes for IKE.
  activatedefaultrule  -Activates or deactivates the default response rule. Only
                        valid on Windows versions before Windows Vista.
  pollinginterval      -Polling interval, the time in minutes for the policy agent
                        to check for changes in the policy store.
  assign               -Assigns the policy as active or inactive.
  mmsecmethods         -List of one or more space-separated security methods in
                        the form of ConfAlg-HashAlg-GroupNum, where ConfAlg can
                        be DES or 3DES, HashAlg is MD5 or SHA1.
                        GroupNum can be 1 (Low), 2 (Medium), 3 (DH2048).

Remarks:  1. If mmpfs is specified, qmpermm will be set to 1.
          2. If the store is 'domain', 'assign' will have no effect.
          3. The use of DES and MD5 is not recommended. These cryptographic
             algorithms are provided for backward compatibility only.

Examples: add policy Policy1 mmpfs= yes assign=yes
          mmsec="3DES-SHA1-3 DES-MD5-3 3DES-MD5-2"
"""

_EN_ADD_FILTERLIST = """\
Usage:
  filterlist [ name = ] <string>
             [ [ description = ] <string> ]

  Creates an empty filter list with the specified name.

Parameters:

  Tag           Value
  name         -Name of the filter list.
  description  -Brief information about the filter list.

Remarks:

Examples: add filterlist Filter1
"""

_EN_ADD_FILTER = """\
Usage:
  filter [ filterlist = ] <string>
         [ srcaddr = ] (ipv4 | ipv6 | ipv4-ipv4 | ipv6-ipv6 | dns | server)
         [ dstaddr = ] (ipv4 | ipv6 | ipv4-ipv4 | ipv6-ipv6 | dns | server)
         [ [ description = ] <string> ]
         [ [ protocol = ] (ANY | ICMP | TCP | UDP | RAW | <integer>) ]
         [ [ mirrored = ] (yes  |  no) ]
         [ [ srcmask = ] (mask | prefix) ]
         [ [ dstmask = ] (mask | prefix) ]
         [ [ srcport = ] <port> ]
         [ [ dstport = ] <port> ]

  Adds a filter to the specified filter list.

Parameters:

  Tag            Value
  filterlist    -Name of the filter list to which the filter is added.
  srcaddr       -Source ip address (ipv4 or ipv6), address range, dns name, or server type.
  dstaddr       -Destination ip address (ipv4 or ipv6), address range, dns name, or server type.
  description   -Brief information about the filter.
  protocol      -Can be ANY, ICMP, TCP, UDP, RAW, or an integer.
  mirrored      -'Yes' creates two filters, one in each direction.
  srcmask       -Source address mask or a prefix of 1 through 32. Not applicable if srcaddr is set to a range
  dstmask       -Destination address mask or a prefix of 1 through 32. Not applicable if dstaddr is set to a range
  srcport       -Source port of the packet. A value of 0 means any port.
  dstport       -Destination port of the packet. A value of 0 means any port.

Remarks:  1. If the filter list does not exist it will be created.
          2. To specify the current computer address, set srcaddr/dstaddr=me
             To specify all computer addresses, set srcaddr/dstaddr=any
          3. Server type can be WINS, DNS, DHCP or GATEWAY.
          4. If source is a server type, then dest is 'me' and vice-versa.
          5. If an address range is specified, the endpoints need to be specific addresses (not lists, or subnets) \
and of the same type (both should be v4 or both should be v6).

Examples: 1. add filter filterlist=Filter1 192.145.168.0 192.145.168.45
          srcmask=24 dstmask=32
          2. add filter filterlist=Filter1 srcaddr=DHCP dstaddr=0.0.0.0
          protocol=ICMP srcmask=255.255.255.255 dstmask=255.255.255.255
          3. add filter filterlist=Filter1 srcaddr=me dstaddr=any
          4. add filter filterlist=Filter1 srcaddr= E3D7::51F4:9BC8:00A8:6420 dstaddr= ME
          5. add filter filterlist=Filter1 srcaddr= 192.168.2.1-192,168.2.10 dstaddr= ME
"""

_EN_ADD_FILTERACTION = """\
Usage:
  filteraction [ name = ] <string>
               [ [ description = ] <string> ]
               [ [ qmpfs = ] (yes | no) ]
               [ [ inpass  = ] (yes | no) ]
               [ [ soft = ] (yes | no) ]
               [ [ action = ] (permit | block | negotiate) ]
               [ [ qmsecmethods = ] (neg#1 neg#2 ... neg#n) ]

  Creates a filter action.

Parameters:

  Tag           Value
  name         -Name of the filter action.
  description  -Brief information about the type of filter action.
  qmpfs        -Option to set quick mode perfect forward secrecy.
  inpass       -Accept unsecured communication, but always respond
                using IPsec. This takes a value of either 'yes' or 'no'.
  soft         -Allow unsecured communication with non-IPsec-aware
                computers. This takes a value of either 'yes' or 'no'.
  action       -This takes permit, block or negotiate.
  qmsecmethods -IPsec offer in one of the following formats:
                ESP[ConfAlg,AuthAlg]:k/s
                AH[HashAlg]:k/s
                AH[HashAlg]+ESP[ConfAlg,AuthAlg]:k/s
                where ConfAlg can be DES or 3DES or None.
                where AuthAlg can be MD5 or SHA1 or None.
                where HashAlg is MD5 or SHA1.
                where k is Lifetime in kilobytes.
                where s is Lifetime in seconds.

Remarks:  1. Quick mode security methods are ignored if the action is not
             'negotiate'
          2. The use of DES and MD5 is not recommended. These cryptographic
             algorithms are provided for backward compatibility only.

Examples: add filteraction name=FilterA qmpfs=yes soft=y action=negotiate
          qmsec="AH[MD5]:204800k/300s ESP[DES,SHA1]:30000k/480s"
"""

_EN_ADD_RULE = """\
Usage:
  rule [ name = ] <string>
       [ policy = ] <string>
       [ filterlist = ] <string>
       [ filteraction = ] <string>
       [ [ tunnel = ] (ip | dns) ]
       [ [ conntype = ] (lan | dialup | all) ]
       [ [ activate = ] (yes | no) ]
       [ [ description = ] <string> ]
       [ [ kerberos = ] (yes | no) ]
       [ [ psk = ] <preshared key> ]
       [ [ rootca = ] "<certificate> certmap:(yes | no) excludecaname:(yes | no)" ]

  Creates a rule with the specified filter list and filter action.

Parameters:

  Tag            Value
  name          -Name of the rule.
  policy        -Name of the policy the rule belongs to.
  filterlist    -Name of the filter list to be used.
  filteraction  -Name of the filter action to be used.
  tunnel        -Tunnel end point IP address.
  conntype      -Connection type can be lan, dialup or 'all'.
  activate      -Activates the rule in the policy if 'yes' is specified.
  description   -Brief information about the rule.
  kerberos      -Provides Kerberos authentication if 'yes' is specified.
  psk           -Provides authentication using a specified preshared key.
  rootca        -Provides authentication using a specified root certificate,
                 attempts to map the cert if certmap:Yes is specified,
                 excludes the CA name if excludecaname:Yes is specified.

Remarks:  1. Certificate, mapping, and CA name settings are all to be within
             quotes; embedded quotes are to be replaced with \\'.
          2. Certificate mapping is valid only for domain members.
          3. Multiple certificates can be provided by using the rootca
             parameter multiple times.
          4. The preference of each authentication method is determined by
             its order in the command.
          5. If no auth methods are stated, dynamic defaults are used.
          6. Excluding the root certification authority (CA) name prevents
             the name from being sent as part of the certificate request.

Examples: add rule name=Rule policy=Policy filterlist=Filterlist
          filteraction=FilterAction kerberos=yes psk="my key"
          rootca="C=US,O=MSFT,CN=Microsoft Authenticode(tm) Root Authority"
          rootca="C=US,O=MSFT,CN=\\'Microsoft North, South, East, and West Root
          Authority\\' certmap:yes excludecaname:no"
"""

# --- zh-CN captures [S2] -------------------------------------------------------------------------

_ZH_ADD_POLICY = """\
用法:
  policy [ name = ] <string>
         [ [ description = ] <string> ]
         [ [ mmpfs = ] (yes | no) ]
         [ [ qmpermm = ] <integer> ]
         [ [ mmlifetime = ] <integer> ]
         [ [ activatedefaultrule = ] (yes | no) ]
         [ [ pollinginterval = ] <integer> ]
         [ [ assign = ] (yes | no) ]
         [ [ mmsecmethods = ] (sec#1 sec#2 ... sec#n) ]

  用指定名称创建一个策略。

参数:

  标记                  值
  name                 -策略的名称。
  description          -策略的简短信息。
  mmpfs                -设置主完全向前保密的选项。
  qmpermm              -每一 IKE 主模式会话的快速模式会话数目。
  mmlifetime           -为 IKE 的主模式重新生成密钥所需时间(以分钟计)。
  activatedefaultrule  -激活或禁用默认响应规则。 只在 Windows Vista 之前的
                        Windows 版本上有效。
  pollinginterval      -轮询间隔，策略代理在策略存储中
                        查找更改的间隔时间(以分钟计)。
  assign               -指定策略为活动或非活动。
  mmsecmethods         -一个或多个由空格分隔开的安全方法列表，安全方法的格式为
                        ConfAlg-HashAlg-GroupNum，其中 ConfAlg 可以是 DES 或
                        3DES，HashAlg 是 MD5 或 SHA1。
                        GroupNum 可以是 1 (低)、2 (中)、3 (DH2048)。

注释:     1. 如果指定了 mmpfs，qmpermm 将设置为 1。
          2. 如果存储为 "domain"，则 "assign" 将不起作用。
          3. 不推荐使用 DES 和 MD5。提供这些算法仅用于向下兼容。

示例:      add policy Policy1 mmpfs= yes assign=yes
          mmsec="3DES-SHA1-3 DES-MD5-3 3DES-MD5-2"
"""

_ZH_ADD_FILTERLIST = """\
用法:
  filterlist [ name = ] <string>
             [ [ description = ] <string> ]

  用指定名称创建一个空的筛选器列表。

参数:

  标记          值
  name         -筛选器列表的名称。
  description  -筛选器列表的简短信息。

注释:

示例: add filterlist Filter1
"""

_ZH_ADD_FILTER = """\
用法:
  filter [ filterlist = ] <string>
         [ srcaddr = ] (ipv4 | ipv6 | ipv4-ipv4 | ipv6-ipv6 | dns | server)
         [ dstaddr = ] (ipv4 | ipv6 | ipv4-ipv4 | ipv6-ipv6 | dns | server)
         [ [ description = ] <string> ]
         [ [ protocol = ] (ANY | ICMP | TCP | UDP | RAW | <integer>) ]
         [ [ mirrored = ] (yes  |  no) ]
         [ [ srcmask = ] (mask | prefix) ]
         [ [ dstmask = ] (mask | prefix) ]
         [ [ srcport = ] <port> ]
         [ [ dstport = ] <port> ]

  将筛选器添加到指定的筛选器列表。

参数:

  标记           值
  filterlist    -筛选器要添加到其中的筛选器列表的名称。
  srcaddr       -源 ip 地址(ipv4 或 ipv6)、地址范围、dns 名称或服务器类型。
  dstaddr       -目标 ip 地址(ipv4 或 ipv6)、dns 名称或服务器类型。
  description   -筛选器的简介信息。
  protocol      -可以是 ANY，ICMP，TCP，UDP，RAW，或者一个整数。
  mirrored      -值为 'Yes' 将创建两个筛选器，每个方向均有一个。
  srcmask       -源地址掩码或一个 1 到 32 的前缀。如果 srcaddr 设置为某一范围，则不适用。
  dstmask       -目标地址掩码或一个 1 到 32 的前缀。如果 dstaddr 设置为某一范围，则不适用。
  srcport       -数据包的源端口。值为 0 表示任意端口。
  dstport       -数据包的目标端口。值为 0 表示任意端口。

注释:  1. 如果筛选器列表不存在，将创建它。
       2. 要指定当前计算机地址，请设置 srcaddr/dstaddr=me
          要指定所有计算机地址，请设置 srcaddr/dstaddr=any
       3. 服务器类型可以是 WINS、DNS、DHCP 或 GATEWAY。
       4. 如果源是一个服务器类型，则目标为 "me"，反之亦然。
       5. 如果指定了地址范围，终结点必须为特定地址(非列表或子网)和相同类型地址(两者均应为 v4 或 v6)。

示例:      1. add filter filterlist=Filter1 192.145.168.0 192.145.168.45
          srcmask=24 dstmask=32
          2. add filter filterlist=Filter1 srcaddr=DHCP dstaddr=0.0.0.0
          protocol=ICMP srcmask=255.255.255.255 dstmask=255.255.255.255
          3. add filter filterlist=Filter1 srcaddr=me dstaddr=any
          4. add filter filterlist=Filter1 srcaddr= E3D7::51F4:9BC8:00A8:6420 dstaddr= ME
          5. add filter filterlist=Filter1 srcaddr= 192.168.2.1-192,168.2.10 dstaddr= ME
"""

_ZH_ADD_FILTERACTION = """\
用法:
  filteraction [ name = ] <string>
               [ [ description = ] <string> ]
               [ [ qmpfs = ] (yes | no) ]
               [ [ inpass  = ] (yes | no) ]
               [ [ soft = ] (yes | no) ]
               [ [ action = ] (permit | block | negotiate) ]
               [ [ qmsecmethods = ] (neg#1 neg#2 ... neg#n) ]

  创建一个筛选器操作。

参数:

  标记          值
  name         -筛选器操作的名称。
  description  -筛选器操作类别的简短信息。
  qmpfs        -设置快速模式完全向前保密的选项。
  inpass       -接受不安全的通讯，但是始终用 IPsec响应。
                这接受 yes 或 no。
  soft         -允许与没有 IPsec 的计算机进行不安全的通讯。
                可以是 yes 或 no。
  action       -可以是 permit，block 或 negotiate。
  qmsecmethods -IPsec 提供是下列格式之一:
                ESP[ConfAlg,AuthAlg]:k/s
                AH[HashAlg]:k/s
                AH[HashAlg]+ESP[ConfAlg,AuthAlg]:k/s
                其中 ConfAlg 可以是 DES 或 3DES 或 None
                其中 AuthAlg 可以是 MD5 或 SHA1 或 None
                其中 HashAlg 是 MD5 或 SHA1。
                其中 k 是 Lifetime(千字节)。
                其中 s 是 Lifetime(秒)。

注释: 1. 如果操作不是 negotiate，快速模式安全方法将被忽略
          2. 不推荐使用 DES 和 MD5。提供这些算法
             仅用于向下兼容。

示例: add filteraction name=FilterA qmpfs=yes soft=y action=negotiate
          qmsec="AH[MD5]:204800k/300s ESP[DES,SHA1]:30000k/480s"
"""

_ZH_ADD_RULE = """\
用法:
  rule [ name = ] <string>
       [ policy = ] <string>
       [ filterlist = ] <string>
       [ filteraction = ] <string>
       [ [ tunnel = ] (ip | dns) ]
       [ [ conntype = ] (lan | dialup | all) ]
       [ [ activate = ] (yes | no) ]
       [ [ description = ] <string> ]
       [ [ kerberos = ] (yes | no) ]
       [ [ psk = ] <preshared key> ]
       [ [ rootca = ] "<certificate> certmap:(yes | no) excludecaname:(yes | no)" ]

  用指定的筛选器列表和筛选器操作创建一个规则。

参数:

  标记           值
  name          -规则的名称。
  policy        -规则所属的策略的名称。
  filterlist    -要使用的筛选器列表的名称。
  filteraction  -要使用的筛选器操作的名称。
  tunnel        -隧道终结点 IP 地址。
  conntype      -连接类型可以是 lan，dialup 或 all。
  activate      -如果指定了 yes，则激活策略中的规则。
  description   -规则的简短信息。
  kerberos      -如果指定了 yes，则提供 Kerberos 身份验证。
  psk           -用预共享密钥提供身份验证。
  rootca        -用指定的根证书提供身份验证，如果指定了
                 certmap:Yes，将尝试映射此证书
                 如果指定了 excludecaname:Yes，将排除 CA 名称

注释:     1. 证书，映射和 CA 名称设置要在引号中引起来，内嵌的引号将
             被\u201c\\'\u201d所代替。
          2. 证书映射只对域成员有效。
          3. 可以多次使用 rootca 参数来提供多重证书。
          4. 每种身份验证方法的优先级由在命令中的顺序来决定。
          5. 如果没有指定身份验证方法，将使用动态默认。
          6. 排除根证书颁发机构(CA)名称防止将名称作为证书请求的一部分
             发送。

示例:     add rule name=Rule policy=Policy filterlist=Filterlist
          filteraction=FilterAction kerberos=yes psk="my key"
          rootca="C=US,O=MSFT,CN=Microsoft Authenticode(tm) Root Authority"
          rootca="C=US,O=MSFT,CN=\\\u2019Microsoft North, South, East, and West Root
          Authority\\\u2019 certmap:yes excludecaname:no"
"""

_FULL = {
    ("en-US", "add", "policy"): _EN_ADD_POLICY,
    ("en-US", "add", "filterlist"): _EN_ADD_FILTERLIST,
    ("en-US", "add", "filter"): _EN_ADD_FILTER,
    ("en-US", "add", "filteraction"): _EN_ADD_FILTERACTION,
    ("en-US", "add", "rule"): _EN_ADD_RULE,
    ("zh-CN", "add", "policy"): _ZH_ADD_POLICY,
    ("zh-CN", "add", "filterlist"): _ZH_ADD_FILTERLIST,
    ("zh-CN", "add", "filter"): _ZH_ADD_FILTER,
    ("zh-CN", "add", "filteraction"): _ZH_ADD_FILTERACTION,
    ("zh-CN", "add", "rule"): _ZH_ADD_RULE,
}

# INVENTED usage blocks: [S1] syntax + [S4] one-liner.
_SHORT = {
    ("set", "policy"): ("policy [ name = ] <string> | [ guid = ] <guid>\n"
                        "       [ [ newname = ] <string> ]\n"
                        "       [ [ description = ] <string> ]\n"
                        "       [ [ mmpfs = ] (yes | no) ]\n"
                        "       [ [ qmpermm = ] <integer> ]\n"
                        "       [ [ mmlifetime = ] <integer> ]\n"
                        "       [ [ activatedefaultrule = ] (yes | no) ]\n"
                        "       [ [ pollinginterval = ] <integer> ]\n"
                        "       [ [ assign = ] (yes | no) ]\n"
                        "       [ [ gponame = ] <string> ]\n"
                        "       [ [ mmsecmethods = ] (sec#1 sec#2 ... sec#n) ]",
                        "Modifies a policy."),
    ("set", "filterlist"): ("filterlist [ name = ] <string> | [ guid = ] <guid>\n"
                            "           [ [ newname = ] <string> ]\n"
                            "           [ [ description = ] <string> ]",
                            "Modifies a filter list."),
    ("set", "filteraction"): ("filteraction [ name = ] <string> | [ guid = ] <guid>\n"
                              "             [ [ newname = ] <string> ]\n"
                              "             [ [ description = ] <string> ]\n"
                              "             [ [ qmpfs = ] (yes | no) ]\n"
                              "             [ [ inpass = ] (yes | no) ]\n"
                              "             [ [ soft = ] (yes | no) ]\n"
                              "             [ [ action = ] (permit | block | negotiate) ]\n"
                              "             [ [ qmsecmethods = ] (neg#1 neg#2 ... neg#n) ]",
                              "Modifies a filter action."),
    ("set", "rule"): ("rule [ name = ] <string> | [ id = ] <integer>\n"
                      "     [ policy = ] <string>\n"
                      "     [ [ newname = ] <string> ]\n"
                      "     [ [ description = ] <string> ]\n"
                      "     [ [ filterlist = ] <string> ]\n"
                      "     [ [ filteraction = ] <string> ]\n"
                      "     [ [ tunnel = ] (ip | dns) ]\n"
                      "     [ [ conntype = ] (lan | dialup | all) ]\n"
                      "     [ [ activate = ] (yes | no) ]\n"
                      "     [ [ kerberos = ] (yes | no) ]\n"
                      "     [ [ psk = ] <preshared key> ]\n"
                      "     [ [ rootca = ] \"<certificate> certmap:(yes | no) excludecaname:(yes | no)\" ]",
                      "Modifies a rule."),
    ("set", "defaultrule"): ("defaultrule [ policy = ] <string>\n"
                             "            [ [ qmpfs = ] (yes | no) ]\n"
                             "            [ [ activate = ] (yes | no) ]\n"
                             "            [ [ qmsecmethods = ] (neg#1 neg#2 ... neg#n) ]\n"
                             "            [ [ kerberos = ] (yes | no) ]\n"
                             "            [ [ psk = ] <preshared key> ]\n"
                             "            [ [ rootca = ] \"<certificate> certmap:(yes | no) excludecaname:(yes | no)\" ]",
                             "Modifies the default response rule of a policy."),
    ("set", "store"): ("store [ location = ] (local | domain)\n"
                       "      [ [ domain = ] <string> ]",
                       "Sets the current policy store."),
    ("set", "batch"): ("batch [ mode = ] (enable | disable)", "Sets the batch update mode."),
    ("delete", "policy"): ("policy [ name = ] <string> | [ all ]", "Deletes a policy and its rules."),
    ("delete", "filterlist"): ("filterlist [ name = ] <string> | [ all ]", "Deletes a filter list."),
    ("delete", "filteraction"): ("filteraction [ name = ] <string> | [ all ]", "Deletes a filter action."),
    ("delete", "rule"): ("rule [ name = ] <string> | [ id = ] <integer> | [ all ]\n"
                         "     [ policy = ] <string>",
                         "Deletes a rule from a policy."),
    ("delete", "filter"): ("filter [ filterlist = ] <string>\n"
                           "       [ srcaddr = ] (ipv4 | ipv6 | ipv4-ipv4 | ipv6-ipv6 | dns | server)\n"
                           "       [ dstaddr = ] (ipv4 | ipv6 | ipv4-ipv4 | ipv6-ipv6 | dns | server)\n"
                           "       [ [ protocol = ] (ANY | ICMP | TCP | UDP | RAW | <integer>) ]\n"
                           "       [ [ mirrored = ] (yes | no) ]\n"
                           "       [ [ srcmask = ] (mask | prefix) ]\n"
                           "       [ [ dstmask = ] (mask | prefix) ]\n"
                           "       [ [ srcport = ] <port> ]\n"
                           "       [ [ dstport = ] <port> ]",
                           "Deletes a filter from a filter list."),
    ("delete", "all"): ("all", "Deletes all policies, filter lists, and filter actions."),
    ("show", "policy"): ("policy [ name = ] <string> | [ all ]\n"
                         "       [ [ level = ] (verbose | normal) ]\n"
                         "       [ [ format = ] (list | table) ]\n"
                         "       [ [ wide = ] (yes | no) ]",
                         "Displays policy details."),
    ("show", "filterlist"): ("filterlist [ name = ] <string> | [ rule = ] <string> | [ all ]\n"
                             "           [ [ level = ] (verbose | normal) ]\n"
                             "           [ [ format = ] (list | table) ]\n"
                             "           [ [ resolvedns = ] (yes | no) ]\n"
                             "           [ [ wide = ] (yes | no) ]",
                             "Displays filter list details."),
    ("show", "filteraction"): ("filteraction [ name = ] <string> | [ rule = ] <string> | [ all ]\n"
                               "             [ [ level = ] (verbose | normal) ]\n"
                               "             [ [ format = ] (list | table) ]\n"
                               "             [ [ wide = ] (yes | no) ]",
                               "Displays filter action details."),
    ("show", "rule"): ("rule [ name = ] <string> | [ id = ] <integer> | [ all ] | [ default ]\n"
                       "     [ policy = ] <string>\n"
                       "     [ [ type = ] (tunnel | transport) ]\n"
                       "     [ [ level = ] (verbose | normal) ]\n"
                       "     [ [ format = ] (list | table) ]\n"
                       "     [ [ wide = ] (yes | no) ]",
                       "Displays rule details."),
    ("show", "all"): ("all [ [ format = ] (list | table) ]\n"
                      "    [ [ wide = ] (yes | no) ]",
                      "Displays details of all policies and related information."),
    ("show", "gpoassignedpolicy"): ("gpoassignedpolicy [ [ name = ] <string> ]",
                                    "Displays details of a group assigned policy."),
    ("show", "store"): ("store", "Displays the current policy store."),
    ("exportpolicy", ""): ("exportpolicy [ file = ] <string>",
                           "Exports all the policies from the policy store."),
    ("importpolicy", ""): ("importpolicy [ file = ] <string>",
                           "Imports the policies from a file to the policy store."),
}


def _crlf(text: str) -> str:
    return CRLF + text.replace("\n", CRLF)


def usage_text(lang: str, verb: str, obj: str) -> str:
    full = _FULL.get((lang, verb, obj)) or _FULL.get(("en-US", verb, obj))
    if full is not None:
        return _crlf(full)
    syntax, summary = _SHORT[(verb, obj)]
    first, *rest = syntax.split("\n")
    body = "Usage:\n  " + first + "".join("\n  " + line for line in rest) + f"\n\n  {summary}\n"
    return _crlf(body)


# --- context help ---------------------------------------------------------------------------------

_EN_LISTS = {
    "": [("?", "Displays a list of commands."),
         ("add", "Creates a new policy and related information."),
         ("delete", "Deletes policies and related information."),
         ("dump", "Displays a configuration script."),
         ("exportpolicy", "Exports all the policies from the policy store."),
         ("help", "Displays a list of commands."),
         ("importpolicy", "Imports the policies from a file to the policy store."),
         ("set", "Modifies existing policies and related information."),
         ("show", "Displays details of policies and related information.")],
    "add": [("add filter", "Adds a filter to filter list."),
            ("add filteraction", "Creates a filter action."),
            ("add filterlist", "Creates an empty filter list."),
            ("add policy", "Creates a policy with a default response rule."),
            ("add rule", "Creates a rule for the specified policy.")],
    "delete": [("delete all", "Deletes all policies, filter lists, and filter actions."),
               ("delete filter", "Deletes a filter from a filter list."),
               ("delete filteraction", "Deletes a filter action."),
               ("delete filterlist", "Deletes a filter list."),
               ("delete policy", "Deletes a policy and its rules."),
               ("delete rule", "Deletes a rule from a policy.")],
    "set": [("set batch", "Sets the batch update mode."),
            ("set defaultrule", "Modifies the default response rule of a policy."),
            ("set filteraction", "Modifies a filter action."),
            ("set filterlist", "Modifies a filter list."),
            ("set policy", "Modifies a policy."),
            ("set rule", "Modifies a rule."),
            ("set store", "Sets the current policy store.")],
    "show": [("show all", "Displays details of all policies and related information."),
             ("show filteraction", "Displays filter action details."),
             ("show filterlist", "Displays filter list details."),
             ("show gpoassignedpolicy", "Displays details of a group assigned policy."),
             ("show policy", "Displays policy details."),
             ("show rule", "Displays rule details."),
             ("show store", "Displays the current policy store.")],
}

_ZH_LISTS = {
    "": [("?", "显示命令列表。"), ("add", "创建新的策略和有关信息。"), ("delete", "删除策略和相关信息。"),
         ("dump", "显示一个配置脚本。"), ("exportpolicy", "从证书存储中导出所有策略。"),
         ("help", "显示命令列表。"), ("importpolicy", "从文件导入策略到证书存储。"),
         ("set", "更改现存策略和相关信息。"), ("show", "显示策略和相关信息的详细信息。")],
    "add": [("add filter", "将筛选器添加到筛选器列表。"), ("add filteraction", "创建一个筛选器操作。"),
            ("add filterlist", "创建一个空的筛选器列表。"), ("add policy", "用默认响应规则创建策略。"),
            ("add rule", "为指定策略创建一个规则。")],
    "delete": [("delete all", "删除所有策略，筛选器列表和筛选器操作。"),
               ("delete filter", "从筛选器列表中删除一个筛选器。"),
               ("delete filteraction", "删除一个筛选器操作。"), ("delete filterlist", "删除一个筛选器列表。"),
               ("delete policy", "删除一个策略和它的规则。"), ("delete rule", "从策略中删除一个规则。")],
    "set": [("set batch", "设置批更新模式。"), ("set defaultrule", "更改默认响应规则。"),
            ("set filteraction", "更改筛选器操作。"), ("set filterlist", "更改筛选器列表。"),
            ("set policy", "更改策略。"), ("set rule", "更改规则。"), ("set store", "设置当前策略存储。")],
    "show": [("show all", "显示所有策略的详细信息及相关信息。"), ("show filteraction", "显示筛选器操作详细信息。"),
             ("show filterlist", "显示筛选器列表详细信息。"),
             ("show gpoassignedpolicy", "显示组分配的策略的详细信息。"), ("show policy", "显示策略详细信息。"),
             ("show rule", "显示规则的详细信息。"), ("show store", "显示当前策略存储。")],
}


def context_help(lang: str, verb: str) -> str:
    """The ``The following commands are available:`` list [S28] (command column 15 wide)."""
    zh = lang == "zh-CN"
    entries = (_ZH_LISTS if zh else _EN_LISTS)[verb]
    head = ["下列指令有效:" if zh else "The following commands are available:", "",
            "此上下文中的命令:" if zh else "Commands in this context:"]
    lines = head + [f"{cmd:<14} - {text}" for cmd, text in entries]
    return CRLF + CRLF.join(lines) + CRLF
