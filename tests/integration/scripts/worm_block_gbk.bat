@echo off
REM Our own script in the style REAL-WORLD.md describes: close the worm ports, keep the web server open.
:: It starts from a clean slate and assigns the policy before its rules exist.
netsh ipsec static set store location=local
netsh ipsec static delete all > nul 2>&1
netsh ipsec static add policy name=·À»ğÇ½ description="·âËø Èä³æ ¶Ë¿Ú" assign=y mmpfs="no"
netsh ipsec static add filteraction name = ×èÖ¹ action =block
Netsh IPsec static add filteraction Ğí¿É desc=permit action=Permit
netsh ipsec static add filter filterlist=Èä³æ srcaddr=Any dstaddr=Me protocol=TCP srcport=0 dstport=135 > nul
netsh ipsec static add filter filterlist=Èä³æ srcaddr=any dstaddr=ME protocol=tcp dstport=139 && echo added 139
netsh.exe ipsec static add filter filterlist=Èä³æ any me description="SMB" TCP yes srcport=0 dstport=445
netsh ipsec static add filter filterlist=Èä³æ srcaddr=ANY dstaddr=me protocol=UDP mirror=yes dstport=137
netsh ipsec static add filter filterlist=Èä³æ srcaddr=any dstaddr=me protocol=udp dstport=138
netsh ipsec static add filter filterlist=ÍøÒ³ srcaddr=10.0.0.0 srcmask=8 dstaddr=me protocol=tcp dstport=80
netsh ipsec static add filter filterlist=ÍøÒ³ srcaddr=192.168.1.0 srcmask=255.255.255.0 dstaddr=me protocol=tcp dstport=443
netsh ipsec static add filter filterlist=ÍøÒ³ srcaddr=172.16.5.1-172.16.5.20 dstaddr=me protocol=tcp dstport=8080 mirrored=no
netsh ipsec static add filter filterlist=ÍøÒ³ srcaddr=any dstaddr=me protocol=ICMP
netsh ipsec static add rule name=·âËø policy=·À»ğÇ½ filter=Èä³æ filteraction=×èÖ¹
netsh ipsec static ^
  add rule name=ÍøÒ³ policy=·À»ğÇ½ filterlist=ÍøÒ³ filteraction=Ğí¿É description="web and ping"
netsh ipsec static set defaultrule policy=·À»ğÇ½ activate=no
netsh ipsec static add filter filterlist=Èä³æ srcaddr=any dstaddr=me protocol=tcp dstport=3389
netsh ipsec static delete filter filterlist=Èä³æ srcaddr=any dstaddr=me protocol=tcp srcport=0 dstport=3389
netsh ipsec static add policy ¾É²ßÂÔ
netsh ipsec static del policy ¾É²ßÂÔ
netsh ipsec static set rule name=ÍøÒ³ policy=·À»ğÇ½ filteraction=Ğí¿É activate=yes
