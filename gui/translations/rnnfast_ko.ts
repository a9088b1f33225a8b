<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>Controller</name>
    <message>
        <location filename="../training/controller.py" line="119"/>
        <source>loading data ...</source>
        <translation>데이터를 불러오는 중 ...</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="144"/>
        <source>No data</source>
        <translation>데이터 없음</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="145"/>
        <source>Load the data first (Ctrl+L).</source>
        <translation>먼저 데이터를 불러오세요 (Ctrl+L).</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="151"/>
        <source>Invalid settings</source>
        <translation>잘못된 설정</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="166"/>
        <source>training: {0}</source>
        <translation>훈련: {0}</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="188"/>
        <source>Cannot continue</source>
        <translation>이어서 훈련할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="204"/>
        <source>continuing: {0}, {1} more epochs</source>
        <translation>이어서 훈련: {0}, 에포크 {1}번 더</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="255"/>
        <source>stopping after the current batch ...</source>
        <translation>현재 배치가 끝나면 멈춥니다 ...</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="302"/>
        <source>hidden states unavailable: {0}</source>
        <translation>은닉 상태를 구할 수 없습니다: {0}</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="370"/>
        <source>training</source>
        <translation>훈련 중</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="371"/>
        <source>training on {0} reviews, {1} batches per epoch, {2} epochs</source>
        <translation>리뷰 {0}개로 훈련, 에포크마다 배치 {1}개, 에포크 {2}번</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="380"/>
        <source>epoch {0}: loss {1}</source>
        <translation>에포크 {0}: 손실 {1}</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="382"/>
        <source>, validation loss {0}, validation accuracy {1}</source>
        <translation>, 검증 손실 {0}, 검증 정확도 {1}</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="395"/>
        <source>training finished after {0} s</source>
        <translation>훈련 완료 ({0}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="396"/>
        <source>training stopped after {0} s</source>
        <translation>훈련 정지 ({0}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="397"/>
        <source>training failed after {0} s</source>
        <translation>훈련 실패 ({0}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="398"/>
        <source>training ended after {0} s</source>
        <translation>훈련 종료 ({0}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="401"/>
        <source>training finished after {0} s of training ({1} s with the pauses)</source>
        <translation>훈련 완료 (훈련 {0}초, 일시 정지 포함 {1}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="404"/>
        <source>training stopped after {0} s of training ({1} s with the pauses)</source>
        <translation>훈련 정지 (훈련 {0}초, 일시 정지 포함 {1}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="407"/>
        <source>training failed after {0} s of training ({1} s with the pauses)</source>
        <translation>훈련 실패 (훈련 {0}초, 일시 정지 포함 {1}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="412"/>
        <source>training ended after {0} s of training ({1} s with the pauses)</source>
        <translation>훈련 종료 (훈련 {0}초, 일시 정지 포함 {1}초)</translation>
    </message>
    <message>
        <location filename="../training/controller.py" line="418"/>
        <source>, validation accuracy {0}</source>
        <translation>, 검증 정확도 {0}</translation>
    </message>
    <message>
        <location filename="../training/loading.py" line="63"/>
        <source>loaded {0} training and {1} validation reviews in {2} s</source>
        <translation>훈련 리뷰 {0}개와 검증 리뷰 {1}개를 {2}초 만에 불러왔습니다</translation>
    </message>
    <message>
        <location filename="../training/loading.py" line="69"/>
        <source>Could not load the data</source>
        <translation>데이터를 불러올 수 없습니다</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <location filename="../panels/data.py" line="111"/>
        <source>source</source>
        <translation>데이터 출처</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="112"/>
        <source>The small IMDB sample shipped with rnnfast, a full imdb.npz on disk, or Keras' download</source>
        <translation>rnnfast에 들어 있는 작은 IMDB 샘플, 디스크의 전체 imdb.npz, 또는 케라스의 다운로드</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="118"/>
        <source>file</source>
        <translation>파일</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="120"/>
        <source>words</source>
        <translation>단어 수</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="121"/>
        <source>num_words: keep the num_words - 1 most frequent words (the input has num_words features; the source: 100)</source>
        <translation>num_words: 가장 자주 나오는 단어 num_words - 1개를 사용합니다 (입력의 특성은 num_words개, 원서: 100)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="128"/>
        <source>skip top</source>
        <translation>상위 제외</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="129"/>
        <source>skip_top: the most frequent words, dropped (the source: 20)</source>
        <translation>skip_top: 가장 자주 나오는 단어를 이만큼 뺍니다 (원서: 20)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="134"/>
        <source>length T</source>
        <translation>길이 T</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="135"/>
        <source>maxlen: time steps T per review, padded and cut at the front as Keras does (the source: 100)</source>
        <translation>maxlen: 리뷰마다 타임 스텝 T, 케라스처럼 앞쪽을 채우고 자릅니다 (원서: 100)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="142"/>
        <source>input</source>
        <translation>입력</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="143"/>
        <source>Token ids: fast, the same numbers (the one-hot product becomes a row lookup).
One-hot: the source's dense (m, T, num_words) float32 array.
Embedding: token ids into an embedding layer (the source's S3).</source>
        <translation>토큰 ID: 빠르고 결과는 같습니다 (원-핫 곱셈이 행 조회가 됩니다).
원-핫: 원서의 밀집 배열 (m, T, num_words) float32.
임베딩: 토큰 ID를 임베딩 층에 넣습니다 (원서의 S3).</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="152"/>
        <source>training</source>
        <translation>훈련 리뷰</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="153"/>
        <source>Use only the first N training reviews (0 = all)</source>
        <translation>처음 N개의 훈련 리뷰만 사용합니다 (0 = 전부)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="156"/>
        <source>validation</source>
        <translation>검증 리뷰</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="157"/>
        <source>Use only the first N validation reviews (0 = all)</source>
        <translation>처음 N개의 검증 리뷰만 사용합니다 (0 = 전부)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="172"/>
        <source>sample (bundled, offline)</source>
        <translation>샘플 (내장, 오프라인)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="173"/>
        <source>IMDB file (imdb.npz)</source>
        <translation>IMDB 파일 (imdb.npz)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="174"/>
        <source>download (Keras' URL)</source>
        <translation>다운로드 (케라스 URL)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="189"/>
        <source>token ids (fast)</source>
        <translation>토큰 ID (빠름)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="190"/>
        <source>one-hot (as the source)</source>
        <translation>원-핫 인코딩 (원서와 같이)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="191"/>
        <source>embedding (the source's S3)</source>
        <translation>임베딩 (원서의 S3)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="242"/>
        <source>Data: IMDB reviews</source>
        <translation>데이터: IMDB 리뷰</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="256"/>
        <source>Choose an imdb.npz file (Keras' format)</source>
        <translation>imdb.npz 파일 선택 (케라스 형식)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="257"/>
        <source>Load data</source>
        <translation>데이터 불러오기</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="259"/>
        <source>Load and pad the reviews in the background (Ctrl+L)</source>
        <translation>리뷰를 백그라운드에서 불러오고 패딩합니다 (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="261"/>
        <source>review #</source>
        <translation>리뷰 번호</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="263"/>
        <source>The validation review shown in the hidden-states plot</source>
        <translation>은닉 상태 그래프에 보이는 검증 리뷰</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="265"/>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="267"/>
        <source>Show a validation review picked at random</source>
        <translation>무작위로 고른 검증 리뷰를 보여 줍니다</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="270"/>
        <source>a decoded validation review appears here</source>
        <translation>여기에 검증 리뷰의 단어가 나타납니다</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="277"/>
        <source>must be smaller than the number of words ({0})</source>
        <translation>단어 수({0})보다 작아야 합니다</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="298"/>
        <source>choose an imdb.npz with the “...” button beside the file field (or type its path there), or use the bundled sample.</source>
        <translation>파일 칸 옆의 “...” 버튼으로 imdb.npz를 고르거나(또는 그 칸에 경로를 입력하거나), 내장 샘플을 쓰세요.</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="305"/>
        <source>the embedding input is not available</source>
        <translation>임베딩 입력을 사용할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="356"/>
        <source>IMDB in Keras' format</source>
        <translation>케라스 형식의 IMDB</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="390"/>
        <source>no data loaded</source>
        <translation>불러온 데이터 없음</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="396"/>
        <source>one-hot</source>
        <translation>원-핫</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="398"/>
        <source>token ids</source>
        <translation>토큰 ID</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="401"/>
        <source>bundled sample</source>
        <translation>내장 샘플</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="406"/>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} training / {2} validation reviews, T = {3}, {4} features ({5}, {6} MB)&lt;br&gt;positive: {7}% training, {8}% validation &amp;middot; loaded in {9} s</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: 훈련 리뷰 {1}개 / 검증 리뷰 {2}개, T = {3}, 특성 {4}개 ({5}, {6} MB)&lt;br&gt;긍정: 훈련 {7}%, 검증 {8}% &amp;middot; {9}초 만에 불러옴</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="438"/>
        <source>positive</source>
        <translation>긍정</translation>
    </message>
    <message>
        <location filename="../panels/data.py" line="440"/>
        <source>negative</source>
        <translation>부정</translation>
    </message>
</context>
<context>
    <name>Dataset</name>
    <message>
        <location filename="../training/dataset.py" line="115"/>
        <source>importing rnnfast ...</source>
        <translation>rnnfast를 임포트하는 중 ...</translation>
    </message>
    <message>
        <location filename="../training/dataset.py" line="120"/>
        <source>reading the bundled IMDB sample ...</source>
        <translation>내장 IMDB 샘플을 읽는 중 ...</translation>
    </message>
    <message>
        <location filename="../training/dataset.py" line="124"/>
        <source>reading {0} ...</source>
        <translation>{0} 읽는 중 ...</translation>
    </message>
    <message>
        <location filename="../training/dataset.py" line="128"/>
        <source>downloading / reading IMDB ...</source>
        <translation>IMDB를 다운로드하거나 읽는 중 ...</translation>
    </message>
    <message>
        <location filename="../training/dataset.py" line="143"/>
        <source>reading the word index ...</source>
        <translation>단어 인덱스를 읽는 중 ...</translation>
    </message>
    <message>
        <location filename="../training/dataset.py" line="152"/>
        <source>building the one-hot arrays (as the source): {0} MB; token ids hold the same in 1/{1} of that ...</source>
        <translation>원-핫 배열을 만드는 중 (원서와 같이): {0} MB; 토큰 ID는 같은 내용을 그 1/{1}에 담습니다 ...</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../plots/export.py" line="132"/>
        <source>Export a figure</source>
        <translation>그림 내보내기</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="136"/>
        <source>preset</source>
        <translation>미리 설정</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="137"/>
        <source>width (px)</source>
        <translation>너비 (픽셀)</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="138"/>
        <source>height (px)</source>
        <translation>높이 (픽셀)</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="139"/>
        <source>resolution (DPI)</source>
        <translation>해상도 (DPI)</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="140"/>
        <source>format</source>
        <translation>형식</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="145"/>
        <source>The text is as large as on a screen of width x 96 / DPI pixels: more DPI, larger text</source>
        <translation>글자 크기는 너비 x 96 / DPI 픽셀 화면에서와 같습니다: DPI가 클수록 글자가 커집니다</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../panels/fields.py" line="24"/>
        <source>full</source>
        <translation>전체</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="25"/>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="26"/>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="55"/>
        <source>one of {0}</source>
        <translation>{0} 중 하나</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="57"/>
        <source>an integer from {0} to {1}</source>
        <translation>{0}에서 {1} 사이의 정수</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="59"/>
        <source>an integer &gt;= {0}</source>
        <translation>{0} 이상의 정수</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="61"/>
        <source>a number &gt; {0} and &lt;= {1}</source>
        <translation>{0}보다 크고 {1} 이하인 수</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="63"/>
        <source>a number &gt; {0}</source>
        <translation>{0}보다 큰 수</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="65"/>
        <source>a number from {0} to {1}</source>
        <translation>{0}에서 {1} 사이의 수</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="67"/>
        <source>a number &gt;= {0}</source>
        <translation>{0} 이상의 수</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="70"/>
        <source>{0} or “{1}”</source>
        <translation>{0} 또는 “{1}”</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="85"/>
        <source>allowed: {0}; typed: “{1}”</source>
        <translation>허용 값: {0}; 입력 값: “{1}”</translation>
    </message>
    <message>
        <location filename="../panels/fields.py" line="178"/>
        <source>Allowed: {0}</source>
        <translation>허용 값: {0}</translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <location filename="../app/files.py" line="80"/>
        <source>No file chosen</source>
        <translation>파일을 선택하지 않았습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="82"/>
        <source>Invalid data settings</source>
        <translation>잘못된 데이터 설정</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="91"/>
        <source>No model</source>
        <translation>모델 없음</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="92"/>
        <source>Train (or load) a network first; while training, pause it to save.</source>
        <translation>먼저 신경망을 훈련하거나 불러오세요; 훈련 중에는 일시 정지한 뒤 저장하세요.</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="97"/>
        <source>Save model</source>
        <translation>모델 저장</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="103"/>
        <source>Could not save the model</source>
        <translation>모델을 저장할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="105"/>
        <source>model saved to {0}</source>
        <translation>모델을 {0}에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="115"/>
        <source>Load model</source>
        <translation>모델 불러오기</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="124"/>
        <source>Could not load the model</source>
        <translation>모델을 불러올 수 없습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="140"/>
        <source>model loaded from {0}</source>
        <translation>{0}에서 모델을 불러왔습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="143"/>
        <source> (its input, {0} features, does not match the loaded data: {1} features, {2})</source>
        <translation> (모델의 입력 특성 {0}개가 불러온 데이터와 맞지 않습니다: 특성 {1}개, {2})</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="149"/>
        <source>; validation accuracy {0}</source>
        <translation>; 검증 정확도 {0}</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="164"/>
        <source>Nothing to save</source>
        <translation>저장할 것이 없습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="165"/>
        <source>Train first: a run is its settings and its history.</source>
        <translation>먼저 훈련하세요: 실행은 설정과 그 기록입니다.</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="168"/>
        <source>Save run</source>
        <translation>실행 저장</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="179"/>
        <source>Could not save the run</source>
        <translation>실행을 저장할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="182"/>
        <source>run saved to {0}</source>
        <translation>실행을 {0}에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="188"/>
        <source>Load run</source>
        <translation>실행 불러오기</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="193"/>
        <source>Could not load the run</source>
        <translation>실행을 불러올 수 없습니다</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="198"/>
        <source>{0} cannot be read: {1}</source>
        <translation>{0}을(를) 읽을 수 없습니다: {1}</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="203"/>
        <source>{0} is not a run file: it is not valid JSON ({1}).</source>
        <translation>{0}은(는) 실행 파일이 아닙니다: 올바른 JSON이 아닙니다 ({1}).</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="204"/>
        <source>{0} is JSON but not a run saved by rnnfast ({1}).</source>
        <translation>{0}은(는) JSON이지만 rnnfast가 저장한 실행이 아닙니다 ({1}).</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="205"/>
        <source>{0} is a run file, but it is damaged ({1}).</source>
        <translation>{0}은(는) 실행 파일이지만 손상되었습니다 ({1}).</translation>
    </message>
    <message>
        <location filename="../app/files.py" line="211"/>
        <source>run loaded from {0}: kept, in its own colour</source>
        <translation>{0}에서 실행을 불러왔습니다: 고유한 색으로 보관합니다</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="192"/>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="194"/>
        <source>exported {0}</source>
        <translation>{0}(으)로 내보냈습니다</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="242"/>
        <source>Export {0}</source>
        <translation>{0} 내보내기</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="259"/>
        <source>Export all plots to</source>
        <translation>모든 그래프를 내보낼 폴더</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="283"/>
        <source>Window screenshot</source>
        <translation>창 스크린샷</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="290"/>
        <source>Screenshot failed</source>
        <translation>스크린샷 실패</translation>
    </message>
    <message>
        <location filename="../plots/export.py" line="291"/>
        <source>could not write {0}</source>
        <translation>{0}을(를) 쓸 수 없습니다</translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <location filename="../training/health.py" line="68"/>
        <source>Diverging: the loss ({0}) is far above chance (ln 2 = 0.693): the network is confidently wrong. Lower the learning rate.</source>
        <translation>발산: 손실({0})이 우연 수준(ln 2 = 0.693)보다 훨씬 큽니다: 신경망이 확신을 가지고 틀립니다. 학습률을 낮추세요.</translation>
    </message>
    <message>
        <location filename="../training/health.py" line="74"/>
        <source>Hidden states saturated: {0} of |h| &gt; 0.99, where tanh' = 1 - h² is almost 0 and the error cannot flow back. Lower the learning rate.</source>
        <translation>은닉 상태 포화: |h| &gt; 0.99인 값이 {0}입니다. 여기서 tanh' = 1 - h²가 거의 0이라 오차가 거슬러 흐르지 못합니다. 학습률을 낮추세요.</translation>
    </message>
    <message>
        <location filename="../training/health.py" line="80"/>
        <source>Gradient norms collapsed: ‖∂L/∂z1‖ between {0} and {1} in the latest batches: the weights no longer change.</source>
        <translation>그래디언트 노름 붕괴: 최근 배치의 ‖∂L/∂z1‖가 {0}에서 {1} 사이입니다: 가중치가 더는 바뀌지 않습니다.</translation>
    </message>
    <message>
        <location filename="../training/health.py" line="86"/>
        <source>Loss stuck at chance (ln 2 = 0.693) for {0} epochs: the network answers 0.5 for every review.</source>
        <translation>손실이 {0} 에포크 동안 우연 수준(ln 2 = 0.693)에 머뭅니다: 신경망이 모든 리뷰에 0.5로 답합니다.</translation>
    </message>
    <message>
        <location filename="../training/health.py" line="125"/>
        <source>Training has gone bad:</source>
        <translation>훈련이 잘못되었습니다:</translation>
    </message>
    <message>
        <location filename="../training/health.py" line="128"/>
        <source>Help &gt; About the plots explains each plot and these warnings.</source>
        <translation>도움말 &gt; 그래프 설명에서 각 그래프와 이 경고를 설명합니다.</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../text/help.py" line="15"/>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="16"/>
        <source>&lt;p&gt;The binary cross-entropy of the sigmoid output a = σ(z2), z2 = h&lt;sub&gt;T&lt;/sub&gt; W2 + b2: L = −(y log a + (1 − y) log(1 − a)), the mean over a batch.&lt;/p&gt;&lt;p&gt;The faint line is the loss of every batch (noisy: each batch is other reviews), the thin line its moving average, the dots the mean of each epoch. The dashed line with squares is the loss on the validation reviews, which the network never trains on: when it rises while the training loss falls, the network overfits.&lt;/p&gt;&lt;p&gt;Chance is ln 2 ≈ 0.693: the loss of a network that answers 0.5 for every review.&lt;/p&gt;</source>
        <translation>&lt;p&gt;시그모이드 출력 a = σ(z2), z2 = h&lt;sub&gt;T&lt;/sub&gt; W2 + b2의 이진 크로스 엔트로피 L = −(y log a + (1 − y) log(1 − a))를 배치에 대해 평균한 값입니다.&lt;/p&gt;&lt;p&gt;흐린 선은 배치마다의 손실(배치마다 리뷰가 달라 들쭉날쭉합니다), 가는 선은 그 이동 평균, 점은 에포크마다의 평균입니다. 네모가 있는 점선은 신경망이 훈련에 쓰지 않는 검증 리뷰의 손실입니다: 훈련 손실은 줄어드는데 검증 손실이 늘면 과대적합입니다.&lt;/p&gt;&lt;p&gt;우연 수준은 ln 2 ≈ 0.693: 모든 리뷰에 0.5로 답하는 신경망의 손실입니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="28"/>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="29"/>
        <source>&lt;p&gt;The share of reviews classified right (a &gt; 0.5 counts as positive), for the training batches, each epoch and the validation reviews.&lt;/p&gt;&lt;p&gt;The dotted line at 0.5 is chance: guessing, or always the same answer on balanced reviews. The source's network reaches about 0.70 on the validation reviews after 20 epochs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;올바르게 분류한 리뷰의 비율(a &gt; 0.5이면 긍정)입니다. 훈련 배치, 에포크마다, 그리고 검증 리뷰에 대해 그립니다.&lt;/p&gt;&lt;p&gt;0.5의 점선은 우연 수준입니다: 찍거나, 긍정과 부정이 반반인 리뷰에 늘 같은 답을 하는 경우입니다. 원서의 신경망은 20 에포크 뒤 검증 리뷰에서 약 0.70에 이릅니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="38"/>
        <source>Gradient norm per time step</source>
        <translation>타임 스텝별 그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="39"/>
        <source>&lt;p&gt;How much of the error reaches each time step. Backpropagation through time starts at the last word with err_to_cell = ∂L/∂z1 = (a − y) W2&lt;sup&gt;T&lt;/sup&gt; ⊙ (1 − h²) and goes back one step at a time: ∂L/∂z1&lt;sub&gt;t−1&lt;/sub&gt; = ∂L/∂z1&lt;sub&gt;t&lt;/sub&gt; W1h&lt;sup&gt;T&lt;/sup&gt; ⊙ (1 − h²&lt;sub&gt;t−1&lt;/sub&gt;).&lt;/p&gt;&lt;p&gt;Every step multiplies by W1h and by 1 − h² (at most 1), so the norm ‖∂L/∂z1‖ usually shrinks geometrically the further back it goes: a straight falling line on this log scale. That is the vanishing gradient: the first words of a review hardly change the weights.&lt;/p&gt;&lt;p&gt;With bptt_steps = 10 (the source's [:10]) the error stops after 10 steps; full BPTT follows it through all T steps. The thick line is the mean of the last 20 batches, the thin line the latest batch, the dotted line the first epoch; each kept run has its own colour.&lt;/p&gt;</source>
        <translation>&lt;p&gt;오차가 각 타임 스텝에 얼마나 전달되는지 보여 줍니다. 시간을 거슬러 역전파(BPTT)는 마지막 단어에서 err_to_cell = ∂L/∂z1 = (a − y) W2&lt;sup&gt;T&lt;/sup&gt; ⊙ (1 − h²)로 시작해 한 스텝씩 거슬러 갑니다: ∂L/∂z1&lt;sub&gt;t−1&lt;/sub&gt; = ∂L/∂z1&lt;sub&gt;t&lt;/sub&gt; W1h&lt;sup&gt;T&lt;/sup&gt; ⊙ (1 − h²&lt;sub&gt;t−1&lt;/sub&gt;).&lt;/p&gt;&lt;p&gt;스텝마다 W1h와 1 − h²(최대 1)가 곱해지므로 노름 ‖∂L/∂z1‖는 보통 거슬러 갈수록 기하급수적으로 작아집니다: 이 로그 눈금에서는 내려가는 직선입니다. 이것이 그래디언트 소실입니다: 리뷰의 앞쪽 단어는 가중치를 거의 바꾸지 못합니다.&lt;/p&gt;&lt;p&gt;bptt_steps = 10(원서의 [:10])이면 오차는 10 스텝 뒤에 멈추고, 전체 BPTT는 T 스텝 전부를 따라갑니다. 굵은 선은 최근 20 배치의 평균, 가는 선은 최근 배치, 점선은 첫 에포크입니다. 보관한 실행은 각자 고유한 색입니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="55"/>
        <source>Gradient norm over training</source>
        <translation>훈련 중 그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="56"/>
        <source>&lt;p&gt;The same norm ‖∂L/∂z1‖ for every batch of the training, as a colour (log10): x = time steps back from the last word, y = training progress in epochs.&lt;/p&gt;&lt;p&gt;Colours that darken to the right are the vanishing gradient; how they change from bottom to top shows what training does to it (as W1h grows, the error reaches further back).&lt;/p&gt;</source>
        <translation>&lt;p&gt;같은 노름 ‖∂L/∂z1‖를 훈련의 모든 배치에 대해 색(log10)으로 나타냅니다: x = 마지막 단어에서 거슬러 간 타임 스텝, y = 훈련 진행(에포크).&lt;/p&gt;&lt;p&gt;오른쪽으로 갈수록 어두워지는 색이 그래디언트 소실입니다. 아래에서 위로 색이 바뀌는 모습은 훈련이 이를 어떻게 바꾸는지 보여 줍니다(W1h가 커지면 오차가 더 멀리 거슬러 갑니다).&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="65"/>
        <source>Hidden states</source>
        <translation>은닉 상태</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="66"/>
        <source>&lt;p&gt;The hidden states h&lt;sub&gt;t&lt;/sub&gt; = tanh(z1), z1 = x&lt;sub&gt;t&lt;/sub&gt; W1x + h&lt;sub&gt;t−1&lt;/sub&gt; W1h + b1, of one validation review: a row per time step (its word on the left), a column per cell, the colour from −1 (blue) to +1 (red).&lt;/p&gt;&lt;p&gt;The last row decides: a = σ(h&lt;sub&gt;T&lt;/sub&gt; W2 + b2) is P(positive), green when the prediction is right, red when it is wrong. Cells at ±1 are saturated: there 1 − h² ≈ 0 and no gradient passes. The reviews are padded at the front (as Keras' pad_sequences does), so the padding is in the first rows.&lt;/p&gt;</source>
        <translation>&lt;p&gt;검증 리뷰 하나의 은닉 상태 h&lt;sub&gt;t&lt;/sub&gt; = tanh(z1), z1 = x&lt;sub&gt;t&lt;/sub&gt; W1x + h&lt;sub&gt;t−1&lt;/sub&gt; W1h + b1입니다: 행은 타임 스텝(왼쪽에 그 단어), 열은 셀, 색은 −1(파랑)에서 +1(빨강)까지입니다.&lt;/p&gt;&lt;p&gt;마지막 행이 답을 정합니다: a = σ(h&lt;sub&gt;T&lt;/sub&gt; W2 + b2)가 P(positive)이며, 예측이 맞으면 초록, 틀리면 빨강으로 표시합니다. ±1에 있는 셀은 포화되었습니다: 거기서는 1 − h² ≈ 0이라 그래디언트가 지나가지 못합니다. 리뷰는 (케라스의 pad_sequences처럼) 앞쪽을 채우므로 패딩은 처음 행들에 있습니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="78"/>
        <source>Warnings</source>
        <translation>경고</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="79"/>
        <source>&lt;p&gt;A yellow banner above the plots says when training has gone bad: hidden states saturated (most |h| &gt; 0.99), gradient norms collapsed (they underflow), the loss far above chance (diverging) or stuck at chance. A learning rate of 10 does all of that; the source uses 0.01.&lt;/p&gt;</source>
        <translation>&lt;p&gt;훈련이 잘못되면 그래프 위에 노란 띠가 나타납니다: 은닉 상태 포화(대부분 |h| &gt; 0.99), 그래디언트 노름 붕괴(언더플로), 우연 수준보다 훨씬 큰 손실(발산), 또는 우연 수준에 머문 손실입니다. 학습률 10은 이 모두를 일으킵니다. 원서는 0.01을 씁니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="87"/>
        <source>Exact and textbook backprop</source>
        <translation>정확한 역전파와 교재식 역전파</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="88"/>
        <source>&lt;p&gt;Since z1 = x W1x + h&lt;sub&gt;t−1&lt;/sub&gt; W1h + b1, the error of the step before is ∂L/∂h&lt;sub&gt;t−1&lt;/sub&gt; = ∂L/∂z1 W1h&lt;sup&gt;T&lt;/sup&gt; (exact, the default). The source's code multiplies by W1h without the transpose (textbook): its gradients of W1h, W1x and b1 differ unless W1h is symmetric. Keep a run with each rule to compare them.&lt;/p&gt;</source>
        <translation>&lt;p&gt;z1 = x W1x + h&lt;sub&gt;t−1&lt;/sub&gt; W1h + b1이므로 이전 스텝의 오차는 ∂L/∂h&lt;sub&gt;t−1&lt;/sub&gt; = ∂L/∂z1 W1h&lt;sup&gt;T&lt;/sup&gt;입니다(정확, 기본값). 원서의 코드는 전치 없이 W1h를 곱합니다(교재식): W1h가 대칭이 아니면 W1h, W1x, b1의 그래디언트가 달라집니다. 두 규칙으로 실행을 하나씩 보관해 비교해 보세요.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="97"/>
        <source>The BPTT lab</source>
        <translation>BPTT 실험실</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="98"/>
        <source>&lt;p&gt;Lab &gt; BPTT lab (Ctrl+B) shows the causes behind the plots, on the first 32 validation reviews while training. Erratum: the cosine between the exact and the textbook gradient of each weight (1 = same direction) and a gradient check against central differences. Why it vanishes: the factor ‖δ&lt;sub&gt;t−1&lt;/sub&gt;‖ / ‖δ&lt;sub&gt;t&lt;/sub&gt;‖ of each step back against its bound σ&lt;sub&gt;max&lt;/sub&gt;(W1h) · max(1 − h²) and the singular values of W1h. Truncation wall: the words of a review coloured by their gradient; before T − k they get none. Clipping lab: the gradient norm before and after clipping. Equation inspector: the source's equations with the numbers of one cell. Twin runs: two settings trained from the same weights.&lt;/p&gt;</source>
        <translation>&lt;p&gt;실험실 &gt; BPTT 실험실(Ctrl+B)은 훈련하는 동안 처음 32개의 검증 리뷰로 그래프 뒤의 원인을 보여 줍니다. 정오표: 각 가중치의 정확한 그래디언트와 교재식 그래디언트 사이의 코사인(1 = 같은 방향)과, 중앙 차분에 대한 그래디언트 점검. 왜 소실되는가: 거슬러 가는 타임 스텝마다의 배율 ‖δ&lt;sub&gt;t−1&lt;/sub&gt;‖ / ‖δ&lt;sub&gt;t&lt;/sub&gt;‖을 그 한계 σ&lt;sub&gt;max&lt;/sub&gt;(W1h) · max(1 − h²)와 비교하고, W1h의 특잇값을 보여 줍니다. 절단의 벽: 리뷰의 단어를 그래디언트 크기로 칠합니다; T − k 이전의 단어는 그래디언트를 전혀 받지 못합니다. 클리핑 실험: 클리핑 전후의 그래디언트 노름. 식 살펴보기: 한 셀의 실제 숫자로 본 교재의 식. 쌍둥이 실행: 같은 가중치에서 시작해 훈련한 두 설정.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="162"/>
        <source>About the plots</source>
        <translation>그래프 설명</translation>
    </message>
    <message>
        <location filename="../text/help.py" line="163"/>
        <source>What the plots show</source>
        <translation>그래프가 보여 주는 것</translation>
    </message>
</context>
<context>
    <name>LabPanel</name>
    <message>
        <location filename="../lab/link.py" line="132"/>
        <source>BPTT lab: {0}</source>
        <translation>BPTT 실험실: {0}</translation>
    </message>
    <message>
        <location filename="../lab/link.py" line="148"/>
        <source>gradient check: train (or load) a network first</source>
        <translation>그래디언트 점검: 먼저 신경망을 훈련하거나 불러오세요</translation>
    </message>
    <message>
        <location filename="../lab/link.py" line="152"/>
        <source>gradient check: at the next snapshot</source>
        <translation>그래디언트 점검: 다음 스냅숏에서 합니다</translation>
    </message>
    <message>
        <location filename="../lab/link.py" line="154"/>
        <source>gradient check: when training pauses or ends</source>
        <translation>그래디언트 점검: 훈련이 일시 정지하거나 끝나면 합니다</translation>
    </message>
    <message>
        <location filename="../lab/link.py" line="203"/>
        <source>twin runs: {0} and {1}, from the same weights</source>
        <translation>쌍둥이 실행: 같은 가중치에서 {0}, {1}</translation>
    </message>
    <message>
        <location filename="../lab/link.py" line="209"/>
        <source>twin runs finished</source>
        <translation>쌍둥이 실행이 끝났습니다</translation>
    </message>
    <message>
        <location filename="../lab/panel.py" line="338"/>
        <source>Load the data and train: the views fill while the network learns.</source>
        <translation>데이터를 불러와 훈련하세요: 신경망이 학습하는 동안 화면이 채워집니다.</translation>
    </message>
    <message>
        <location filename="../lab/panel.py" line="342"/>
        <source>Not recording while training (Lab &gt; Record while training): the views show the network when it is idle.</source>
        <translation>훈련 중에는 기록하지 않습니다 (실험실 &gt; 훈련 중 기록): 화면은 훈련하지 않을 때의 신경망을 보여 줍니다.</translation>
    </message>
    <message>
        <location filename="../lab/panel.py" line="347"/>
        <source>Snapshots of the first {0} validation reviews (the probe batch): {1}, {2} s of computing. The views follow the review chosen in the data panel.</source>
        <translation>처음 {0}개 검증 리뷰(탐색 배치)의 스냅숏: {1}개, 계산 {2}초. 화면은 데이터 패널에서 고른 리뷰를 따라갑니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../app/window.py" line="143"/>
        <source>rnnfast: recurrent neural network trainer</source>
        <translation>rnnfast: 순환 신경망 훈련기</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="221"/>
        <source>Invalid settings</source>
        <translation>잘못된 설정</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="222"/>
        <source>Correct the fields marked in red:</source>
        <translation>빨간색으로 표시된 칸을 고치세요:</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="235"/>
        <source>Invalid data settings</source>
        <translation>잘못된 데이터 설정</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="241"/>
        <source>Data not loaded</source>
        <translation>데이터를 불러오지 않았습니다</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="242"/>
        <source>The data panel's settings are not those of the data loaded. Press Load data (Ctrl+L) to load them, then train.</source>
        <translation>데이터 패널의 설정이 불러온 데이터의 설정과 다릅니다. 데이터 불러오기(Ctrl+L)를 눌러 불러온 뒤 훈련하세요.</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="289"/>
        <source>reset</source>
        <translation>초기화했습니다</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="298"/>
        <source>run kept: {0}</source>
        <translation>실행을 보관했습니다: {0}</translation>
    </message>
    <message>
        <location filename="../app/wiring.py" line="79"/>
        <source>starting</source>
        <translation>시작하는 중</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../app/menus.py" line="14"/>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="15"/>
        <source>&amp;Train</source>
        <translation>훈련(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="16"/>
        <source>&amp;Lab</source>
        <translation>실험실(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="17"/>
        <source>&amp;Export</source>
        <translation>내보내기(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="18"/>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="19"/>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="29"/>
        <source>Load data</source>
        <translation>데이터 불러오기</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="30"/>
        <source>Load the reviews (in the background)</source>
        <translation>리뷰를 불러옵니다 (백그라운드)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="38"/>
        <source>Save model...</source>
        <translation>모델 저장...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="39"/>
        <source>Save the network's weights</source>
        <translation>신경망의 가중치를 저장합니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="46"/>
        <source>Load model...</source>
        <translation>모델 불러오기...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="47"/>
        <source>Load a saved network</source>
        <translation>저장한 신경망을 불러옵니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="54"/>
        <source>Save run...</source>
        <translation>실행 저장...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="55"/>
        <source>Save the run's settings and history (JSON)</source>
        <translation>실행의 설정과 기록을 저장합니다 (JSON)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="62"/>
        <source>Load run to compare...</source>
        <translation>비교할 실행 불러오기...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="63"/>
        <source>Keep a saved run (JSON) in the plots, in its own colour</source>
        <translation>저장한 실행(JSON)을 고유한 색으로 그래프에 보관합니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="71"/>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="72"/>
        <source>Close the window (stops training)</source>
        <translation>창을 닫습니다 (훈련을 멈춥니다)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="79"/>
        <source>Train</source>
        <translation>훈련</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="80"/>
        <source>Train a new network</source>
        <translation>새 신경망을 훈련합니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="87"/>
        <source>Continue</source>
        <translation>이어서 훈련</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="88"/>
        <source>Train the current network for the form's number of epochs more (its weights, optimizer state and history carry on)</source>
        <translation>현재 신경망을 설정한 에포크 수만큼 더 훈련합니다 (가중치, 옵티마이저 상태, 기록이 이어집니다)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="99"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="100"/>
        <source>Pause / resume training</source>
        <translation>훈련 일시 정지 / 다시 시작</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="107"/>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="108"/>
        <source>Stop after the current batch</source>
        <translation>현재 배치가 끝나면 멈춥니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="115"/>
        <source>Step</source>
        <translation>한 스텝</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="116"/>
        <source>Train one batch, then pause</source>
        <translation>배치 하나를 훈련하고 일시 정지합니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="123"/>
        <source>Reset</source>
        <translation>초기화</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="124"/>
        <source>Forget the network and its history</source>
        <translation>신경망과 그 기록을 지웁니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="132"/>
        <source>Keep run</source>
        <translation>실행 보관</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="133"/>
        <source>Keep this run in the plots, in its own colour, to compare with the next runs</source>
        <translation>이 실행을 고유한 색으로 그래프에 남겨 다음 실행과 비교합니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="142"/>
        <source>Remove kept runs</source>
        <translation>보관한 실행 지우기</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="143"/>
        <source>Remove every kept run from the plots</source>
        <translation>보관한 실행을 모두 그래프에서 지웁니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="150"/>
        <source>BPTT lab</source>
        <translation>BPTT 실험실</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="151"/>
        <source>Show the BPTT lab (or the plots again): why the gradients vanish, what the missing transpose changes</source>
        <translation>BPTT 실험실을 보여 줍니다 (다시 누르면 그래프): 그래디언트가 왜 사라지는지, 빠진 전치가 무엇을 바꾸는지</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="162"/>
        <source>Sweep</source>
        <translation>스윕</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="163"/>
        <source>Show the Sweep view (or the plots again): many runs over settings and seeds, compared in words</source>
        <translation>스윕 화면을 보여 줍니다(다시 누르면 그래프): 설정과 시드에 걸친 여러 실행을 말로 비교합니다</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="174"/>
        <source>Record while training</source>
        <translation>훈련 중 기록</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="175"/>
        <source>Snapshots for the BPTT lab while training (at most a tenth of the time)</source>
        <translation>훈련하는 동안 BPTT 실험실을 위한 스냅숏을 찍습니다 (시간의 10분의 1 이하)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="185"/>
        <source>Gradient check</source>
        <translation>그래디언트 점검</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="186"/>
        <source>Central differences against the exact and the textbook rule, on the current network (while training: at the next snapshot)</source>
        <translation>현재 신경망에서 중앙 차분을 정확한 규칙 및 교재식 규칙과 비교합니다 (훈련 중에는 다음 스냅숏에서)</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="198"/>
        <source>Twin runs: exact vs textbook rule</source>
        <translation>쌍둥이 실행: 정확 대 교재식 규칙</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="199"/>
        <source>Train the form's settings twice from the same weights, once with each rule</source>
        <translation>같은 가중치에서 설정대로 두 번 훈련합니다: 규칙마다 한 번씩</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="208"/>
        <source>Twin runs: k = 10 vs full BPTT</source>
        <translation>쌍둥이 실행: k = 10 대 전체 BPTT</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="209"/>
        <source>Train the form's settings twice from the same weights: 10 steps back, and all T</source>
        <translation>같은 가중치에서 설정대로 두 번 훈련합니다: 10 스텝 거슬러, 그리고 T 전부</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="217"/>
        <source>Stop the twin runs</source>
        <translation>쌍둥이 실행 멈추기</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="219"/>
        <source>Stop the sweep</source>
        <translation>스윕 멈추기</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="222"/>
        <source>Sweep (CSV)...</source>
        <translation>스윕 (CSV)...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="223"/>
        <source>Sweep (PNG)...</source>
        <translation>스윕 (PNG)...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="227"/>
        <source>All plots (PNG + CSV) to a folder...</source>
        <translation>모든 그래프 (PNG + CSV)를 폴더로...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="233"/>
        <source>Window screenshot...</source>
        <translation>창 스크린샷...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="237"/>
        <source>About the plots</source>
        <translation>그래프 설명</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="238"/>
        <source>What each plot shows, and the warnings</source>
        <translation>각 그래프가 보여 주는 것과 경고</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="245"/>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="251"/>
        <source>About</source>
        <translation>정보</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="255"/>
        <source>PNG image (as shown)...</source>
        <translation>PNG 이미지 (화면 그대로)...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="256"/>
        <source>Figure (size, DPI, SVG)...</source>
        <translation>그림 (크기, DPI, SVG)...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="257"/>
        <source>CSV data...</source>
        <translation>CSV 데이터...</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="360"/>
        <source>Training</source>
        <translation>훈련</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="397"/>
        <source>&lt;b&gt;rnnfast&lt;/b&gt;: a simple recurrent neural network (tanh cells, a sigmoid output) trained with truncated backpropagation through time, with compiled kernels.&lt;br&gt;&lt;br&gt;The gradient-norm plots show ‖∂L/∂z1‖ at each time step back: the repeated products of W1h and (1 - h²) make it shrink (vanish) the further back it goes. Help &gt; About the plots says more.</source>
        <translation>&lt;b&gt;rnnfast&lt;/b&gt;: 잘린 시간을 거슬러 역전파(TBPTT)로 훈련하는 간단한 순환 신경망(tanh 셀, 시그모이드 출력)을 컴파일된 커널로 실행합니다.&lt;br&gt;&lt;br&gt;그래디언트 노름 그래프는 거슬러 간 타임 스텝마다 ‖∂L/∂z1‖를 보여 줍니다: W1h와 (1 - h²)가 거듭 곱해져 멀리 거슬러 갈수록 작아집니다(소실). 자세한 내용은 도움말 &gt; 그래프 설명을 보세요.</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="428"/>
        <source>Unsaved run</source>
        <translation>저장하지 않은 실행</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="429"/>
        <source>The current run has not been saved. Save it before quitting?</source>
        <translation>현재 실행을 저장하지 않았습니다. 끝내기 전에 저장할까요?</translation>
    </message>
    <message>
        <location filename="../app/menus.py" line="435"/>
        <source>Save run writes its settings and history (JSON); the plots can be compared with later runs by Load run.</source>
        <translation>실행 저장은 설정과 기록을 JSON으로 씁니다. 나중에 실행 불러오기로 다른 실행과 비교할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../app/window.py" line="172"/>
        <source>Resume</source>
        <translation>다시 시작</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <location filename="../panels/model.py" line="32"/>
        <source>preset</source>
        <translation>미리 설정</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="33"/>
        <source>Fill the form with a preset</source>
        <translation>미리 정한 설정으로 채웁니다</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="36"/>
        <source>cells</source>
        <translation>셀 수</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="37"/>
        <source>n_cells: cells of the recurrent layer (the source: 32)</source>
        <translation>n_cells: 순환층의 셀 개수 (원서: 32)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="40"/>
        <source>batch</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="41"/>
        <source>batch_size: reviews per update</source>
        <translation>batch_size: 가중치를 한 번 업데이트할 때의 리뷰 수</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="44"/>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="45"/>
        <source>learning_rate: the step size (the source: 0.01)</source>
        <translation>learning_rate: 업데이트의 크기 (원서: 0.01)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="48"/>
        <source>epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="49"/>
        <source>Passes over the training reviews</source>
        <translation>훈련 리뷰를 몇 번 반복하는지</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="52"/>
        <source>BPTT steps</source>
        <translation>BPTT 스텝</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="53"/>
        <source>bptt_steps: the time steps the error travels back, at most T (the source: 10, its [:10]); full = all T</source>
        <translation>bptt_steps: 오차가 거슬러 가는 타임 스텝 수, 최대 T (원서: 10, 원서의 [:10]); 전체 = T 전부</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="60"/>
        <source>backprop</source>
        <translation>역전파</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="61"/>
        <source>exact: the true gradient (dL/dh_prev = dL/dz1 @ W1h.T).
textbook: the source's rule, err_to_cell @ W1h (the transpose is missing).</source>
        <translation>정확: 참 그래디언트 (dL/dh_prev = dL/dz1 @ W1h.T).
교재식: 원서의 규칙, err_to_cell @ W1h (전치가 빠졌습니다).</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="69"/>
        <source>optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="70"/>
        <source>SGD (the source) or Adam (S3)</source>
        <translation>SGD (원서) 또는 Adam (S3)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="73"/>
        <source>clipping</source>
        <translation>클리핑</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="74"/>
        <source>clip_norm: the largest global norm of the gradients (off: no clipping)</source>
        <translation>clip_norm: 그래디언트 전체 노름의 최댓값 (끔: 클리핑 안 함)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="79"/>
        <source>clipping per entry</source>
        <translation>원소별 클리핑</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="80"/>
        <source>clip_value: each entry of the gradients is clipped into [-c, c], as min-char-rnn's np.clip (off: no clipping)</source>
        <translation>clip_value: 그래디언트의 각 원소를 [-c, c]로 자릅니다, min-char-rnn의 np.clip처럼 (끔: 클리핑 안 함)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="87"/>
        <source>backend</source>
        <translation>백엔드</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="88"/>
        <source>Cython: the compiled time loops; NumPy: the source's code (slower)</source>
        <translation>Cython: 컴파일된 타임 스텝 반복문; NumPy: 원서의 코드 (더 느림)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="93"/>
        <source>seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="94"/>
        <source>The same seed gives the same weights, shuffles and losses; random: a new one</source>
        <translation>같은 시드는 같은 가중치, 섞기, 손실을 줍니다; 무작위: 새 시드</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="100"/>
        <source>dtype</source>
        <translation>자료형</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="101"/>
        <source>float64 or float32 weights and arithmetic</source>
        <translation>float64 또는 float32 가중치와 연산</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="104"/>
        <source>explode σmax</source>
        <translation>폭발 σmax</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="105"/>
        <source>The clipping lab's explode start: W1h rescaled so that its largest singular value is this once the weights are initialised (new runs only; the per-step factor can exceed 1). off: the usual start</source>
        <translation>클리핑 실험실의 폭발 시작: 가중치를 초기화한 뒤 W1h의 가장 큰 특이값이 이 값이 되도록 W1h의 크기를 바꿉니다(새 훈련에만; 스텝마다의 배율이 1을 넘을 수 있습니다). 끔: 보통의 시작</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="113"/>
        <source>embedding</source>
        <translation>임베딩 차원</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="114"/>
        <source>The embedding dimension d (with the data panel's embedding input)</source>
        <translation>임베딩 차원 d (데이터 패널의 임베딩 입력과 함께)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="134"/>
        <source>the source (6.3)</source>
        <translation>원서 (6.3절)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="135"/>
        <source>exact, bptt 10</source>
        <translation>정확, BPTT 10</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="136"/>
        <source>exact, full BPTT</source>
        <translation>정확, 전체 BPTT</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="137"/>
        <source>Adam, full BPTT</source>
        <translation>Adam, 전체 BPTT</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="138"/>
        <source>S3 (embedding 32, 8 cells, Adam)</source>
        <translation>S3 (임베딩 32, 셀 8개, Adam)</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="151"/>
        <source>custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="159"/>
        <source>exact</source>
        <translation>정확</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="160"/>
        <source>textbook</source>
        <translation>교재식</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="189"/>
        <source>Model and training</source>
        <translation>모델과 훈련</translation>
    </message>
    <message>
        <location filename="../panels/model.py" line="207"/>
        <source>at most T = {0} (the review length), or full</source>
        <translation>최대 T = {0}(리뷰 길이), 또는 전체</translation>
    </message>
</context>
<context>
    <name>PlotGrid</name>
    <message>
        <location filename="../plots/grid.py" line="29"/>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <location filename="../plots/grid.py" line="30"/>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <location filename="../plots/grid.py" line="31"/>
        <source>Gradient norm per time step</source>
        <translation>타임 스텝별 그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../plots/grid.py" line="32"/>
        <source>Gradient norm over training</source>
        <translation>훈련 중 그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../plots/grid.py" line="33"/>
        <source>Hidden states</source>
        <translation>은닉 상태</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <location filename="../plots/base.py" line="87"/>
        <source>What does this plot show?</source>
        <translation>이 그래프는 무엇을 보여 주나요?</translation>
    </message>
    <message>
        <location filename="../plots/base.py" line="261"/>
        <source>current run: {0}</source>
        <translation>현재 실행: {0}</translation>
    </message>
    <message>
        <location filename="../plots/base.py" line="263"/>
        <source>current run</source>
        <translation>현재 실행</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="82"/>
        <source>batches (raw)</source>
        <translation>배치 (원값)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="86"/>
        <source>batches (smoothed)</source>
        <translation>배치 (이동 평균)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="94"/>
        <source>training (epoch)</source>
        <translation>훈련 (에포크)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="102"/>
        <source>validation (epoch)</source>
        <translation>검증 (에포크)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="148"/>
        <source>Loss (binary cross-entropy)</source>
        <translation>손실 (이진 크로스 엔트로피)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="149"/>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="150"/>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="171"/>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="173"/>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="179"/>
        <source>chance (0.5)</source>
        <translation>우연 수준 (0.5)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="222"/>
        <source>Gradient norm per time step</source>
        <translation>타임 스텝별 그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="223"/>
        <source>time steps back (0 = last word)</source>
        <translation>거슬러 간 타임 스텝 (0 = 마지막 단어)</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="281"/>
        <source>‖∂L/∂z1‖ = 0 at every step of the last batches: a log scale cannot show 0, so these curves are missing (no gradient: see the warning above the plots).</source>
        <translation>최근 배치의 모든 스텝에서 ‖∂L/∂z1‖ = 0: 로그 눈금은 0을 나타낼 수 없어 이 곡선들이 없습니다 (그래디언트 없음: 플롯 위의 경고를 보세요).</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="291"/>
        <source>latest batch</source>
        <translation>최근 배치</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="294"/>
        <source>mean of the last {0} batches</source>
        <translation>최근 {0} 배치의 평균</translation>
    </message>
    <message>
        <location filename="../plots/curves.py" line="300"/>
        <source>first epoch (mean)</source>
        <translation>첫 에포크 (평균)</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="36"/>
        <source>Gradient norm over training (log10)</source>
        <translation>훈련 중 그래디언트 노름 (log10)</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="37"/>
        <source>time steps back</source>
        <translation>거슬러 간 타임 스텝</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="124"/>
        <source>Hidden states h_t of a validation review</source>
        <translation>검증 리뷰의 은닉 상태 h_t</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="125"/>
        <source>cell</source>
        <translation>셀</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="126"/>
        <source>t: word</source>
        <translation>t: 단어</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="180"/>
        <source>choose a review in the data panel</source>
        <translation>데이터 패널에서 리뷰를 고르세요</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="182"/>
        <source>negative</source>
        <translation>부정</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="182"/>
        <source>positive</source>
        <translation>긍정</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="185"/>
        <source>review #{0}, label: {1}</source>
        <translation>리뷰 {0}번, 레이블: {1}</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="187"/>
        <source>(train to see its hidden states)</source>
        <translation>(훈련하면 은닉 상태가 보입니다)</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="190"/>
        <source>right</source>
        <translation>맞음</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="190"/>
        <source>wrong</source>
        <translation>틀림</translation>
    </message>
    <message>
        <location filename="../plots/images.py" line="239"/>
        <source>t = {0}, word: {1}, cell {2}: h = {3}</source>
        <translation>t = {0}, 단어: {1}, 셀 {2}: h = {3}</translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message>
        <location filename="../training/runs.py" line="75"/>
        <source>full BPTT</source>
        <translation>전체 BPTT</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="77"/>
        <source>bptt {0}</source>
        <translation>BPTT {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="80"/>
        <source>exact</source>
        <translation>정확</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="80"/>
        <source>textbook</source>
        <translation>교재식</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="84"/>
        <source>lr {0}</source>
        <translation>학습률 {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="88"/>
        <source>{0} cells</source>
        <translation>셀 {0}개</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="90"/>
        <source>batch {0}</source>
        <translation>배치 {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="93"/>
        <source>no clipping</source>
        <translation>클리핑 없음</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="95"/>
        <source>clip {0}</source>
        <translation>클리핑 {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="99"/>
        <source>no per-entry clipping</source>
        <translation>원소별 클리핑 없음</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="101"/>
        <source>entries clipped to {0}</source>
        <translation>원소를 {0}로 클리핑</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="105"/>
        <source>no embedding</source>
        <translation>임베딩 없음</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="107"/>
        <source>embedding {0}</source>
        <translation>임베딩 {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="111"/>
        <source>usual start</source>
        <translation>보통의 시작</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="113"/>
        <source>explode {0}</source>
        <translation>폭발 {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="116"/>
        <source>{0} epochs</source>
        <translation>에포크 {0}번</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="121"/>
        <source>random seed</source>
        <translation>무작위 시드</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="123"/>
        <source>seed {0}</source>
        <translation>시드 {0}</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="128"/>
        <source>{0} words</source>
        <translation>단어 {0}개</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="131"/>
        <source>token ids</source>
        <translation>토큰 ID</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="132"/>
        <source>one-hot</source>
        <translation>원-핫</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="133"/>
        <source>embedding input</source>
        <translation>임베딩 입력</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="136"/>
        <source>{0} reviews</source>
        <translation>리뷰 {0}개</translation>
    </message>
    <message>
        <location filename="../training/runs.py" line="178"/>
        <source>run {0}</source>
        <translation>실행 {0}</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../panels/runs.py" line="71"/>
        <source>Runs</source>
        <translation>실행</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="72"/>
        <source>Keep</source>
        <translation>보관</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="74"/>
        <source>Keep the current run: it stays in the plots, in its own colour, while the next runs train (Ctrl+K)</source>
        <translation>현재 실행을 보관합니다: 다음 실행을 훈련하는 동안 고유한 색으로 그래프에 남습니다 (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="80"/>
        <source>Remove</source>
        <translation>지우기</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="81"/>
        <source>Remove the selected kept runs</source>
        <translation>선택한 보관 실행을 지웁니다</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="82"/>
        <source>Remove all</source>
        <translation>모두 지우기</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="83"/>
        <source>Remove every kept run (Ctrl+Shift+K)</source>
        <translation>보관한 실행을 모두 지웁니다 (Ctrl+Shift+K)</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="85"/>
        <source>Tick a kept run to show it in the plots, untick to hide it; each run has its own colour</source>
        <translation>보관한 실행을 체크하면 그래프에 보이고, 체크를 풀면 숨깁니다. 실행마다 고유한 색이 있습니다</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="99"/>
        <source>current run</source>
        <translation>현재 실행</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../app/statusbar.py" line="17"/>
        <source>NO DATA</source>
        <translation>데이터 없음</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="18"/>
        <source>LOADING</source>
        <translation>불러오는 중</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="19"/>
        <source>READY</source>
        <translation>준비</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="20"/>
        <source>RUNNING</source>
        <translation>훈련 중</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="21"/>
        <source>PAUSING</source>
        <translation>일시 정지하는 중</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="22"/>
        <source>PAUSED</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="23"/>
        <source>STOPPING</source>
        <translation>멈추는 중</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="24"/>
        <source>STOPPED</source>
        <translation>정지됨</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="25"/>
        <source>FINISHED</source>
        <translation>완료</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="26"/>
        <source>FAILED</source>
        <translation>실패</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="27"/>
        <source>TWIN RUNS</source>
        <translation>쌍둥이 실행</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="142"/>
        <source>epoch {0}/{1}, batch {2}/{3}</source>
        <translation>에포크 {0}/{1}, 배치 {2}/{3}</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="152"/>
        <source>{0} reviews/s</source>
        <translation>초당 리뷰 {0}개</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="158"/>
        <source>{0} left</source>
        <translation>{0} 남음</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="196"/>
        <source>What the app is doing</source>
        <translation>앱이 지금 하는 일</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="197"/>
        <source>Progress of the run</source>
        <translation>실행의 진행률</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="204"/>
        <source>English</source>
        <translation>한국어</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="204"/>
        <source>language: {0}</source>
        <translation>언어: {0}</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="213"/>
        <source>{0} s</source>
        <translation>{0}초</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="216"/>
        <source>{0} min {1} s</source>
        <translation>{0}분 {1}초</translation>
    </message>
    <message>
        <location filename="../app/statusbar.py" line="218"/>
        <source>{0} h {1} min</source>
        <translation>{0}시간 {1}분</translation>
    </message>
</context>
<context>
    <name>Sweep</name>
    <message>
        <location filename="../sweep/export.py" line="19"/>
        <source>Export the sweep (CSV)</source>
        <translation>스윕 내보내기 (CSV)</translation>
    </message>
    <message>
        <location filename="../sweep/export.py" line="41"/>
        <source>Export the sweep's plots (PNG)</source>
        <translation>스윕 그래프 내보내기 (PNG)</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="73"/>
        <source>{0}: type its values, separated by commas</source>
        <translation>{0}: 값을 쉼표로 구분해 입력하세요</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="85"/>
        <source>{0}: {1} is more than T = {2} (the review length)</source>
        <translation>{0}: 값 {1} &gt; T = {2}(리뷰 길이)</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="91"/>
        <source>{0}: “{1}” is typed twice</source>
        <translation>{0}: “{1}” 값을 두 번 입력했습니다</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="250"/>
        <source>no Dask scheduler answered at {0} within a few seconds; start one with “dask scheduler” and its workers with “dask worker ADDRESS”</source>
        <translation>{0}에서 몇 초 안에 응답한 Dask 스케줄러가 없습니다; “dask scheduler”로 스케줄러를, “dask worker 주소”로 작업자를 시작하세요</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="256"/>
        <source>a scheduler's address, e.g. tcp://10.0.0.5:8786, or empty</source>
        <translation>스케줄러 주소(예: tcp://10.0.0.5:8786) 또는 빈칸</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="279"/>
        <source>choose two different settings</source>
        <translation>서로 다른 두 설정을 고르세요</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="318"/>
        <source>The other settings: correct the model panel's fields first.</source>
        <translation>나머지 설정: 먼저 모델 패널의 필드를 고치세요.</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="333"/>
        <source>The other settings, from the model panel: {0}; {1} epochs.</source>
        <translation>나머지 설정(모델 패널): {0}; 에포크 {1}번.</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="340"/>
        <source>Sweep: settings x seeds</source>
        <translation>스윕: 설정 x 시드</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="346"/>
        <source>(none)</source>
        <translation>(없음)</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="351"/>
        <source>vary</source>
        <translation>바꿀 설정</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="352"/>
        <source>and</source>
        <translation>그리고</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="353"/>
        <source>seeds</source>
        <translation>시드 수</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="354"/>
        <source>processes</source>
        <translation>프로세스</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="355"/>
        <source>Dask scheduler</source>
        <translation>Dask 스케줄러</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="359"/>
        <source>empty: this computer's cores</source>
        <translation>빈칸: 이 컴퓨터의 코어</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="368"/>
        <source>The values to try, separated by commas</source>
        <translation>시험할 값들, 쉼표로 구분</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="371"/>
        <source>A setting to vary (the others: the model panel's)</source>
        <translation>바꿀 설정 (나머지는 모델 패널의 값)</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="373"/>
        <source>Each combination is trained with seeds 0, 1, ..., n - 1: the same seeds for every combination, so the comparison is paired</source>
        <translation>각 조합을 시드 0, 1, ..., n - 1로 훈련합니다: 모든 조합이 같은 시드를 쓰므로 비교는 짝지은 비교입니다</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="380"/>
        <source>Worker processes on this computer (1: the runs one after another in the app's process)</source>
        <translation>이 컴퓨터의 작업 프로세스 수 (1: 앱의 프로세스에서 실행을 하나씩 차례로)</translation>
    </message>
    <message>
        <location filename="../sweep/form.py" line="387"/>
        <source>The address of a Dask scheduler (dask scheduler; dask worker ADDRESS on the other machines); empty: this computer's cores</source>
        <translation>Dask 스케줄러의 주소 (다른 컴퓨터에서 dask scheduler, dask worker 주소); 빈칸: 이 컴퓨터의 코어</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="145"/>
        <source>Load the data, and stop training, before a sweep.</source>
        <translation>스윕 전에 데이터를 불러오고 훈련을 멈추세요.</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="188"/>
        <source>stopping: the runs in progress are dropped, the finished ones kept ...</source>
        <translation>멈추는 중: 진행 중인 실행은 버리고 끝난 실행은 보관합니다 ...</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="224"/>
        <source>No Dask scheduler at {0}: nothing ran.</source>
        <translation>{0}에 Dask 스케줄러가 없습니다: 아무것도 실행하지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="229"/>
        <source>sweep stopped: {0} of {1} runs finished, kept</source>
        <translation>스윕 정지: 실행 {1}개 중 {0}개가 끝났고 보관했습니다</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="235"/>
        <source>sweep finished: {0} of {1} runs in {2} s</source>
        <translation>스윕 완료: 실행 {1}개 중 {0}개, {2}초</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="241"/>
        <source>The sweep did not run: see the message.</source>
        <translation>스윕을 실행하지 못했습니다: 메시지를 보세요.</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="298"/>
        <source>Run the sweep</source>
        <translation>스윕 실행</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="299"/>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="300"/>
        <source>Export CSV...</source>
        <translation>CSV 내보내기...</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="301"/>
        <source>Export PNG...</source>
        <translation>PNG 내보내기...</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="305"/>
        <source>Train every combination with every seed (the model panel's other settings)</source>
        <translation>모든 조합을 모든 시드로 훈련합니다 (나머지 설정은 모델 패널의 값)</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="311"/>
        <source>No further run starts; the finished runs are kept</source>
        <translation>더는 실행을 시작하지 않습니다; 끝난 실행은 보관합니다</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="316"/>
        <source>Click a cell to see its curves</source>
        <translation>칸을 누르면 그 곡선을 봅니다</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="326"/>
        <source>Choose the settings to vary, then Run the sweep.</source>
        <translation>바꿀 설정을 고른 뒤 스윕 실행을 누르세요.</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="334"/>
        <source>in the app's process</source>
        <translation>앱의 프로세스에서</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="335"/>
        <source>on {0} worker processes</source>
        <translation>작업 프로세스 {0}개에서</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="336"/>
        <source>on the Dask scheduler {0}</source>
        <translation>Dask 스케줄러 {0}에서</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="338"/>
        <source>{0} of {1} runs finished, {2}</source>
        <translation>실행 {1}개 중 {0}개 끝남, {2}</translation>
    </message>
    <message>
        <location filename="../sweep/panel.py" line="340"/>
        <source>; {0} failed</source>
        <translation>; {0}개 실패</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="101"/>
        <source>Final validation accuracy: mean and spread over the seeds</source>
        <translation>마지막 검증 정확도: 시드에 걸친 평균과 퍼짐</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="119"/>
        <source>validation accuracy</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="165"/>
        <source>colours from {0} to {1}: the means ± one standard deviation over the seeds, at least {2} wide (a smaller difference stays one colour)</source>
        <translation>색: {0}에서 {1}까지 — 시드에 대한 평균 ± 표준편차 하나, 폭은 최소 {2} (더 작은 차이는 한 색으로 남습니다)</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="229"/>
        <source>mean over the seeds</source>
        <translation>시드 평균</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="232"/>
        <source>± one standard deviation</source>
        <translation>± 표준 편차 하나</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="238"/>
        <source>one seed</source>
        <translation>시드 하나</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="301"/>
        <source>validation, mean over the seeds</source>
        <translation>검증, 시드 평균</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="308"/>
        <source>one seed (validation)</source>
        <translation>시드 하나 (검증)</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="311"/>
        <source>training, mean over the seeds</source>
        <translation>훈련, 시드 평균</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="322"/>
        <source>Accuracy per epoch of the selected cell</source>
        <translation>고른 칸의 에포크별 정확도</translation>
    </message>
    <message>
        <location filename="../sweep/plots.py" line="325"/>
        <source>Accuracy per epoch: {0}</source>
        <translation>에포크별 정확도: {0}</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="127"/>
        <source>the missing transpose</source>
        <translation>빠진 전치</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="128"/>
        <source>the BPTT window</source>
        <translation>BPTT 구간</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="129"/>
        <source>the learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="130"/>
        <source>the number of cells</source>
        <translation>셀 개수</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="131"/>
        <source>the batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="132"/>
        <source>the optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="133"/>
        <source>the gradient clipping</source>
        <translation>그래디언트 클리핑</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="134"/>
        <source>the per-entry gradient clipping</source>
        <translation>원소별 그래디언트 클리핑</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="135"/>
        <source>the precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="155"/>
        <source>{0} - {1}: {2}</source>
        <translation>{0} - {1}: {2}</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="160"/>
        <source> (95% interval {0} to {1})</source>
        <translation> (95% 구간 {0} ~ {1})</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="163"/>
        <source> over {0} seeds</source>
        <translation>, 시드 {0}개</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="167"/>
        <source>{0} gives a higher accuracy than {1}</source>
        <translation>{0}의 정확도가 {1}보다 높습니다</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="169"/>
        <source>{0} gives a lower accuracy than {1}</source>
        <translation>{0}의 정확도가 {1}보다 낮습니다</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="171"/>
        <source>no evidence that {2} changes the accuracy</source>
        <translation>{2}에 따라 정확도가 달라진다는 증거가 없습니다</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="173"/>
        <source>too few seeds to tell (at least 2 are needed)</source>
        <translation>시드가 너무 적어 알 수 없습니다 (적어도 2개가 필요합니다)</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="176"/>
        <source>{0} at {1}</source>
        <translation>{1}에서 {0}</translation>
    </message>
    <message>
        <location filename="../sweep/results.py" line="177"/>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../sweep/words.py" line="75"/>
        <source>The comparison appears once runs of both values have finished.</source>
        <translation>두 값의 실행이 끝나면 비교가 나타납니다.</translation>
    </message>
    <message>
        <location filename="../sweep/words.py" line="85"/>
        <source>Give a setting two values or more to compare them.</source>
        <translation>비교하려면 설정에 값을 두 개 이상 주세요.</translation>
    </message>
    <message>
        <location filename="../sweep/words.py" line="91"/>
        <source>compare</source>
        <translation>비교</translation>
    </message>
    <message>
        <location filename="../sweep/words.py" line="92"/>
        <source>The two values compared, seed by seed</source>
        <translation>시드마다 짝지어 비교하는 두 값</translation>
    </message>
    <message>
        <location filename="../sweep/worker.py" line="111"/>
        <source>No Dask scheduler</source>
        <translation>Dask 스케줄러 없음</translation>
    </message>
    <message>
        <location filename="../sweep/worker.py" line="114"/>
        <source>The sweep could not start</source>
        <translation>스윕을 시작할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../sweep/worker.py" line="119"/>
        <source>The sweep failed</source>
        <translation>스윕 실패</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <location filename="../training/worker.py" line="239"/>
        <source>Training diverged</source>
        <translation>훈련이 발산했습니다</translation>
    </message>
    <message>
        <location filename="../training/worker.py" line="247"/>
        <source>Training failed</source>
        <translation>훈련 실패</translation>
    </message>
    <message>
        <location filename="../training/worker.py" line="417"/>
        <source>The loss became {0} at epoch {1}, batch {2}; training was stopped (the weights of the last good step are kept).

Try a smaller learning rate, gradient clipping (clip norm), or fewer cells.</source>
        <translation>에포크 {1}, 배치 {2}에서 손실 값이 유한하지 않게 되어({0}) 훈련을 멈췄습니다 (마지막 정상 스텝의 가중치를 유지합니다).

더 작은 학습률, 그래디언트 클리핑(clip norm), 또는 더 적은 셀을 시도해 보세요.</translation>
    </message>
</context>
<context>
    <name>lab</name>
    <message>
        <location filename="../lab/clipping.py" line="60"/>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="61"/>
        <source>global norm (clip_norm)</source>
        <translation>전체 노름 (clip_norm)</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="62"/>
        <source>per entry (clip_value)</source>
        <translation>원소별 (clip_value)</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="69"/>
        <source>this rnnfast has no per-entry clipping</source>
        <translation>이 rnnfast에는 원소별 클리핑이 없습니다</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="74"/>
        <source>explode: sigma_max(W1h) =</source>
        <translation>폭발: sigma_max(W1h) =</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="76"/>
        <source>Start from W1h rescaled so that its largest singular value is this: the per-step factor can exceed 1 and the gradients grow step after step back.</source>
        <translation>가장 큰 특잇값이 이 값이 되도록 크기를 바꾼 W1h에서 시작합니다: 스텝마다의 배율이 1을 넘을 수 있어 그래디언트가 거슬러 갈수록 커집니다.</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="86"/>
        <source>Train with these settings</source>
        <translation>이 설정으로 훈련</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="89"/>
        <source>global gradient norm per batch</source>
        <translation>배치별 전체 그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="90"/>
        <source>batch</source>
        <translation>배치</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="91"/>
        <source>norm (log)</source>
        <translation>노름 (로그)</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="94"/>
        <source>before clipping</source>
        <translation>클리핑 전</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="95"/>
        <source>after clipping</source>
        <translation>클리핑 후</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="96"/>
        <source>probe batch, before</source>
        <translation>탐색 배치, 전</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="97"/>
        <source>probe batch, after</source>
        <translation>탐색 배치, 후</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="107"/>
        <source>clipping</source>
        <translation>클리핑</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="109"/>
        <source>threshold c</source>
        <translation>임계값 c</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="135"/>
        <source>Clipping lab</source>
        <translation>클리핑 실험</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="172"/>
        <source>Per batch: not recorded (this rnnfast does not report the norm before and after clipping). Dots: the probe batch at each snapshot, threshold {c}. sigma_max(W1h) = {s}.</source>
        <translation>배치별: 기록 없음 (이 rnnfast는 클리핑 전후의 노름을 알려 주지 않습니다). 점: 스냅숏마다의 탐색 배치, 임계값 {c}. sigma_max(W1h) = {s}.</translation>
    </message>
    <message>
        <location filename="../lab/clipping.py" line="184"/>
        <source>{share} of the batches clipped (threshold {c}); last norm {b} -&gt; {a}; sigma_max(W1h) = {s}.</source>
        <translation>배치의 {share}를 클리핑했습니다 (임계값 {c}); 마지막 노름 {b} -&gt; {a}; sigma_max(W1h) = {s}.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="40"/>
        <source>exact</source>
        <translation>정확</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="40"/>
        <source>textbook</source>
        <translation>교재식</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="52"/>
        <source>W1h asymmetry {a}: cos(W1h) {c}, |exact| {e} vs |textbook| {t}.</source>
        <translation>W1h 비대칭 {a}: cos(W1h) {c}, |정확| {e} 대 |교재식| {t}.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="62"/>
        <source>The norms barely differ ({p} apart); the directions do.</source>
        <translation>노름은 거의 같지만(차이 {p}) 방향은 다릅니다.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="64"/>
        <source>Both norms ({p} apart) and directions nearly agree.</source>
        <translation>노름(차이 {p})과 방향이 모두 거의 같습니다.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="66"/>
        <source>The norms differ by {p}; the directions nearly agree.</source>
        <translation>노름은 {p} 다르고, 방향은 거의 같습니다.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="68"/>
        <source>The norms differ by {p}, and the directions differ too.</source>
        <translation>노름이 {p} 다르고, 방향도 다릅니다.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="84"/>
        <source>cos(exact, textbook) per parameter</source>
        <translation>파라미터별 cos(정확, 교재식)</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="86"/>
        <source>cosine</source>
        <translation>코사인</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="90"/>
        <source>Cosine between the gradient of the exact rule (err_to_cell @ W1h^T) and of the source's rule (err_to_cell @ W1h) on the same batch. 1 = same direction.</source>
        <translation>같은 배치에서 정확한 규칙(err_to_cell @ W1h^T)과 원서의 규칙(err_to_cell @ W1h)의 그래디언트 사이의 코사인. 1 = 같은 방향.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="98"/>
        <source>asymmetry of W1h</source>
        <translation>W1h의 비대칭</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="100"/>
        <source>asymmetry</source>
        <translation>비대칭</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="105"/>
        <source>||W1h - W1h^T|| / ||W1h||: 0 for a symmetric W1h (the two rules agree), 2 at most (antisymmetric); about 1.41 for a random W1h.</source>
        <translation>||W1h - W1h^T|| / ||W1h||: 대칭인 W1h에서 0(두 규칙이 같음), 최대 2(반대칭); 무작위 W1h에서는 약 1.41입니다.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="115"/>
        <source>parameter</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="117"/>
        <source>Gradient check</source>
        <translation>그래디언트 점검</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="119"/>
        <source>Central differences of the loss on sampled entries of each weight, against the exact and the textbook rule with full BPTT (and the network's own window).</source>
        <translation>각 가중치에서 뽑은 원소에 대한 손실의 중앙 차분을, 전체 BPTT(와 신경망 자신의 창)의 정확한 규칙 및 교재식 규칙과 비교합니다.</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="130"/>
        <source>rule</source>
        <translation>규칙</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="133"/>
        <source>rel. error</source>
        <translation>상대 오차</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="134"/>
        <source>max abs error</source>
        <translation>최대 절대 오차</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="139"/>
        <source>The two rules' gradients on the same batch: their norms and their directions (train, and the numbers appear here).</source>
        <translation>같은 배치에서 두 규칙의 그래디언트: 노름과 방향 (훈련하면 여기에 숫자가 나타납니다).</translation>
    </message>
    <message>
        <location filename="../lab/erratum.py" line="174"/>
        <source>Erratum: W1h vs W1h^T</source>
        <translation>정오표: W1h 대 W1h^T</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="91"/>
        <source> + ... ({n} more terms)</source>
        <translation> + ... (항 {n}개 더)</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="113"/>
        <source>review</source>
        <translation>리뷰</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="114"/>
        <source>time step t</source>
        <translation>타임 스텝 t</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="115"/>
        <source>cell i</source>
        <translation>셀 i</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="125"/>
        <source>Equation inspector</source>
        <translation>식 살펴보기</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="165"/>
        <source>Forward (the source: forpass)</source>
        <translation>정방향 계산 (원서: forpass)</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="166"/>
        <source>Backward (err_to_cell = dL/dz1), one step back</source>
        <translation>역전파 (err_to_cell = dL/dz1), 한 스텝 거슬러</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="167"/>
        <source>m = 1 review, {f} = {n}, n_c = {c}, T = {T}</source>
        <translation>m = 리뷰 1개, {f} = {n}, n_c = {c}, T = {T}</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="170"/>
        <source>network</source>
        <translation>신경망</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="196"/>
        <source>(one-hot: only entry {id} of x_t is 1)</source>
        <translation>(원-핫: x_t의 원소 {id}만 1)</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="206"/>
        <source>Step t is not visited under bptt_steps = {k}: delta_t = 0 (truncated).</source>
        <translation>bptt_steps = {k}에서는 스텝 t에 가지 않습니다: delta_t = 0 (잘림).</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="211"/>
        <source>t = 0: there is no earlier step.</source>
        <translation>t = 0: 이전 스텝이 없습니다.</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="219"/>
        <source>exact: W1h^T</source>
        <translation>정확: W1h^T</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="226"/>
        <source>textbook: W1h (transpose missing)</source>
        <translation>교재식: W1h (전치 빠짐)</translation>
    </message>
    <message>
        <location filename="../lab/inspector.py" line="234"/>
        <source>the source: np.dot(err_to_cell, self.w1h), without .T</source>
        <translation>원서: np.dot(err_to_cell, self.w1h), .T 없이</translation>
    </message>
    <message>
        <location filename="../lab/panel.py" line="29"/>
        <source>Why it vanishes</source>
        <translation>왜 소실되는가</translation>
    </message>
    <message>
        <location filename="../lab/panel.py" line="30"/>
        <source>Truncation wall</source>
        <translation>절단의 벽</translation>
    </message>
    <message>
        <location filename="../lab/panel.py" line="33"/>
        <source>Twin runs</source>
        <translation>쌍둥이 실행</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="47"/>
        <source>Orange: the word receives gradient (darker = more). Grey: before T - k, no gradient at all (truncated BPTT), although the forward pass read it.</source>
        <translation>주황: 그래디언트를 받는 단어 (진할수록 많이). 회색: T - k 이전, 정방향 계산은 읽었지만 그래디언트가 전혀 없습니다 (잘린 BPTT).</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="54"/>
        <source>saliency ||dz2/dx_t|| per time step</source>
        <translation>타임 스텝별 돌출도 ||dz2/dx_t||</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="56"/>
        <source>saliency (log)</source>
        <translation>돌출도 (로그)</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="59"/>
        <source>saliency</source>
        <translation>돌출도</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="61"/>
        <source>||err_to_cell|| per step back (last batch)</source>
        <translation>거슬러 간 스텝별 ||err_to_cell|| (최근 배치)</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="62"/>
        <source>steps back</source>
        <translation>거슬러 간 스텝</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="66"/>
        <source>gradient norm</source>
        <translation>그래디언트 노름</translation>
    </message>
    <message>
        <location filename="../lab/truncation.py" line="108"/>
        <source>k = {k} of T = {T} steps: {dead} words get no gradient (grey), {live} do.</source>
        <translation>T = {T} 스텝 중 k = {k}: 단어 {dead}개는 그래디언트를 받지 못하고(회색), {live}개는 받습니다.</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="81"/>
        <source>exact vs textbook rule</source>
        <translation>정확 대 교재식 규칙</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="82"/>
        <source>k = 10 vs full BPTT</source>
        <translation>k = 10 대 전체 BPTT</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="83"/>
        <source>Train both from the same weights</source>
        <translation>같은 가중치에서 둘 다 훈련</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="91"/>
        <source>training loss (mean of 20 batches)</source>
        <translation>훈련 손실 (배치 20개의 평균)</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="93"/>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="96"/>
        <source>cos(exact, textbook) of W1h</source>
        <translation>W1h의 cos(정확, 교재식)</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="99"/>
        <source>||err_to_cell|| per step back</source>
        <translation>거슬러 간 스텝별 ||err_to_cell||</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="105"/>
        <source>factor per step back</source>
        <translation>거슬러 간 스텝별 배율</translation>
    </message>
    <message>
        <location filename="../lab/twins.py" line="107"/>
        <source>factor (log)</source>
        <translation>배율 (로그)</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="46"/>
        <source>factor per step back: ||delta_(t-1)|| / ||delta_t||</source>
        <translation>거슬러 간 스텝별 배율: ||delta_(t-1)|| / ||delta_t||</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="52"/>
        <source>delta = err_to_cell = dL/dz1. Each step back multiplies it by W1h^T and by 1 - H^2. Bound (Pascanu et al. 2013): sigma_max(W1h) * max(1 - H^2).</source>
        <translation>delta = err_to_cell = dL/dz1. 한 스텝 거슬러 갈 때마다 W1h^T와 1 - H^2가 곱해집니다. 상한 (Pascanu 외 2013): sigma_max(W1h) * max(1 - H^2).</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="59"/>
        <source>measured (batch)</source>
        <translation>측정값 (배치)</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="61"/>
        <source>bound</source>
        <translation>상한</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="63"/>
        <source>measured (chosen review)</source>
        <translation>측정값 (고른 리뷰)</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="71"/>
        <source>singular values of W1h</source>
        <translation>W1h의 특잇값</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="74"/>
        <source>sigma_max(W1h) &gt; 1 lets the error grow step after step back (explode); the factor also has 1 - H^2 &lt;= 1 in it.</source>
        <translation>sigma_max(W1h) &gt; 1이면 오차가 거슬러 갈수록 커질 수 있습니다(폭발); 배율에는 1 - H^2 &lt;= 1도 들어 있습니다.</translation>
    </message>
    <message>
        <location filename="../lab/vanishing.py" line="123"/>
        <source>sigma_max(W1h) = {s}; median factor {m}; bound exceeded: {x} times. Over the k = {k} steps of the window the error is multiplied by {p} (&lt; 1: it vanishes, &gt; 1: it explodes).</source>
        <translation>sigma_max(W1h) = {s}; 배율 중앙값 {m}; 상한 초과: {x}번. 창의 k = {k} 스텝 동안 오차에 곱해지는 배율: {p} (&lt; 1: 소실, &gt; 1: 폭발).</translation>
    </message>
    <message>
        <location filename="../lab/window.py" line="46"/>
        <source>rnnfast - the BPTT lab</source>
        <translation>rnnfast - BPTT 실험실</translation>
    </message>
    <message>
        <location filename="../lab/window.py" line="113"/>
        <source>training ...</source>
        <translation>훈련 중 ...</translation>
    </message>
    <message>
        <location filename="../lab/window.py" line="162"/>
        <source>training stopped: {m}</source>
        <translation>훈련 정지: {m}</translation>
    </message>
    <message>
        <location filename="../lab/window.py" line="177"/>
        <source>trained: {b} batches, {n} snapshots ({s:.2f} s recording)</source>
        <translation>훈련 완료: 배치 {b}개, 스냅숏 {n}개 (기록 {s:.2f}초)</translation>
    </message>
</context>
</TS>
