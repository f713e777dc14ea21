"""Function words of the languages copydesk sees most, for telling prose from chrome.

Prose is full of function words in any language; menus, credits and link lists are not. The
lists are short on purpose (the most frequent words carry almost all of the signal) and are
merged into one set: a word that is a function word in one language and a content word in
another is rare enough not to matter for a ratio, and one lookup per word keeps cleaning fast.
"""

from __future__ import annotations

_BY_LANGUAGE: dict[str, str] = {
    "en": """a about after all also an and any are as at be because been but by can could did do
        does for from had has have he her his how i if in into is it its may more most my no not
        of on one or our out she should so than that the their them there these they this those
        to up was we were what when where which while who will with would you your""",
    "de": """aber als am an auch auf aus bei bis das dass dem den der des die dies diese doch durch
        ein eine einem einen einer es für hat hatte ich ihr im in ist kann mit nach nicht noch nur
        oder sein sich sie sind so um und uns von vor war wenn werden wie wir wird zu zum zur""",
    "fr": """au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur lui mais
        même nous on ont ou par pas plus pour qu que qui sa se ses son sont sur un une vous été être""",
    "es": """al como con de del el ella ellos en entre era es esta este está fue ha han hay la las le
        les lo los más no nos o para pero por que se ser si sin sobre su sus también un una y ya""",
    "it": """al alla anche che come con da dal del della delle di e gli ha hanno il in la le lo ma
        nel nella non per più quando questo se si sono su tra un una è""",
    "pt": """ao aos as com como da das de do dos e ela ele em entre era foi isso mais mas na nas não
        no nos o os ou para pela pelo por que se sem ser seu sua são também um uma à é""",
    "nl": """aan als bij dat de deze die dit door een en er heeft het hij hun ik in is maar met naar
        niet nog of om ook op over te tot uit van voor was we werd wordt zal ze zich zijn""",
    "sv": """att av de den det du eller en ett för har han hon i inte jag kan man med men min när
        och om på sig som till var vi är även""",
    "pl": """a ale by był była być do dla go i ich jak jest jego jej już na nie o od po przez się
        tak także to w we z za że""",
    "ru": """а без бы был была были было в вы да для до его ее если есть же за и из или их к как
        когда ли мы на не него нет но о об он она они от по при с так также то только что это я""",
    "tr": """ama bir bu da daha de diye en gibi için ile ise kadar ki mi ne o olan olarak sonra ve
        veya ya""",
    "id": """ada adalah agar akan atau bahwa bisa dalam dan dari dengan di dia ini itu jangan jika
        juga kalau kami kamu karena ke kita lebih maka mereka oleh pada saja sangat saya sebagai
        seperti sudah telah tetapi tidak untuk yang""",
}

STOPWORDS: frozenset[str] = frozenset(word for words in _BY_LANGUAGE.values() for word in words.split())
