@echo off
REM Our own script in the style REAL-WORLD.md describes: close the worm ports, keep the web server open.
:: It starts from a clean slate and assigns the policy before its rules exist.
netsh ipsec static set store location=local
netsh ipsec static delete all > nul 2>&1
netsh ipsec static add policy name=防火墙 description="封锁 蠕虫 端口" assign=y mmpfs="no"
netsh ipsec static add filteraction name = 阻止 action =block
Netsh IPsec static add filteraction 许可 desc=permit action=Permit
netsh ipsec static add filter filterlist=蠕虫 srcaddr=Any dstaddr=Me protocol=TCP srcport=0 dstport=135 > nul
netsh ipsec static add filter filterlist=蠕虫 srcaddr=any dstaddr=ME protocol=tcp dstport=139 && echo added 139
netsh.exe ipsec static add filter filterlist=蠕虫 any me description="SMB" TCP yes srcport=0 dstport=445
netsh ipsec static add filter filterlist=蠕虫 srcaddr=ANY dstaddr=me protocol=UDP mirror=yes dstport=137
netsh ipsec static add filter filterlist=蠕虫 srcaddr=any dstaddr=me protocol=udp dstport=138
netsh ipsec static add filter filterlist=网页 srcaddr=10.0.0.0 srcmask=8 dstaddr=me protocol=tcp dstport=80
netsh ipsec static add filter filterlist=网页 srcaddr=192.168.1.0 srcmask=255.255.255.0 dstaddr=me protocol=tcp dstport=443
netsh ipsec static add filter filterlist=网页 srcaddr=172.16.5.1-172.16.5.20 dstaddr=me protocol=tcp dstport=8080 mirrored=no
netsh ipsec static add filter filterlist=网页 srcaddr=any dstaddr=me protocol=ICMP
netsh ipsec static add rule name=封锁 policy=防火墙 filter=蠕虫 filteraction=阻止
netsh ipsec static ^
  add rule name=网页 policy=防火墙 filterlist=网页 filteraction=许可 description="web and ping"
netsh ipsec static set defaultrule policy=防火墙 activate=no
netsh ipsec static add filter filterlist=蠕虫 srcaddr=any dstaddr=me protocol=tcp dstport=3389
netsh ipsec static delete filter filterlist=蠕虫 srcaddr=any dstaddr=me protocol=tcp srcport=0 dstport=3389
netsh ipsec static add policy 旧策略
netsh ipsec static del policy 旧策略
netsh ipsec static set rule name=网页 policy=防火墙 filteraction=许可 activate=yes
