"""What the Test button of Settings → Voice says: one short sentence in each language a
learner can practise, written in that language (not translated to the interface's: it
is how the voice sounds in the language learnt)."""

from __future__ import annotations

_WRITTEN = """\
ar: مرحبا! هكذا يبدو صوتي. هل تسمعني جيدا؟
zh: 你好！这就是我的声音。你听得清楚吗？
cs: Ahoj! Takhle zní můj hlas. Slyšíš mě dobře?
da: Hej! Sådan lyder min stemme. Kan du høre mig godt?
nl: Hallo! Zo klinkt mijn stem. Kun je me goed horen?
en: Hello! This is how my voice sounds. Can you hear me well?
fi: Hei! Tältä ääneni kuulostaa. Kuuletko minut hyvin?
fr: Bonjour ! Voici ma voix. Est-ce que tu m'entends bien ?
de: Hallo! So klingt meine Stimme. Hörst du mich gut?
el: Γεια σου! Έτσι ακούγεται η φωνή μου. Με ακούς καλά;
he: שלום! כך נשמע הקול שלי. אתה שומע אותי טוב?
hi: नमस्ते! मेरी आवाज़ ऐसी सुनाई देती है। क्या आप मुझे ठीक से सुन पा रहे हैं?
hu: Szia! Így szól a hangom. Jól hallasz?
id: Halo! Beginilah suaraku. Apakah kamu bisa mendengarku dengan jelas?
it: Ciao! Ecco come suona la mia voce. Mi senti bene?
ja: こんにちは！これが私の声です。よく聞こえますか？
ko: 안녕하세요! 제 목소리는 이렇게 들려요. 잘 들리세요?
nb: Hei! Slik høres stemmen min ut. Hører du meg godt?
fa: سلام! صدای من این‌طوری است. صدایم را خوب می‌شنوی؟
pl: Cześć! Tak brzmi mój głos. Dobrze mnie słyszysz?
pt: Olá! É assim que a minha voz soa. Você me ouve bem?
ro: Salut! Așa sună vocea mea. Mă auzi bine?
ru: Привет! Вот так звучит мой голос. Ты хорошо меня слышишь?
es: ¡Hola! Así suena mi voz. ¿Me oyes bien?
sw: Habari! Hivi ndivyo sauti yangu inavyosikika. Unanisikia vizuri?
sv: Hej! Så här låter min röst. Hör du mig bra?
th: สวัสดี! เสียงของฉันเป็นแบบนี้ ได้ยินชัดไหม?
tr: Merhaba! Sesim böyle duyuluyor. Beni iyi duyuyor musun?
uk: Привіт! Ось так звучить мій голос. Ти добре мене чуєш?
ur: ہیلو! میری آواز ایسی سنائی دیتی ہے۔ کیا آپ مجھے ٹھیک سے سن رہے ہیں؟
vi: Xin chào! Đây là giọng của tôi. Bạn có nghe rõ không?
"""  # i18n: ignore: the language learnt's own words, the same in every interface

SAMPLES: dict[str, str] = dict(
    line.split(": ", 1) for line in _WRITTEN.splitlines() if line.strip()
)


def sample_sentence(language_code: str) -> str:
    """The sample in the language (by its primary subtag), English when none is written."""
    return SAMPLES.get(language_code.split("-")[0].lower(), SAMPLES["en"])
